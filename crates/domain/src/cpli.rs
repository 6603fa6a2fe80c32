//! Care package line items and what they plan for a week (DOMAIN 3 and 4.3).

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::actual::ActualFigures;
use crate::amount::{Money, Quantity};
use crate::calendar::Week;
use crate::format::{format_money, format_number};
use crate::service_level::Unit;

/// Ticks for Monday to Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Weekdays(pub [bool; 7]);

impl Weekdays {
    pub const NAMES: [&'static str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    /// How the API names the days: `mon` .. `sun`.
    pub const CODES: [&'static str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// Days from their API codes, in any case and order; `Err` holds the first unknown code.
    pub fn from_codes<S: AsRef<str>>(codes: &[S]) -> Result<Weekdays, String> {
        let mut days = [false; 7];
        for code in codes {
            let code = code.as_ref().trim();
            match Self::CODES
                .iter()
                .position(|known| known.eq_ignore_ascii_case(code))
            {
                Some(position) => days[position] = true,
                None => return Err(code.to_owned()),
            }
        }
        Ok(Weekdays(days))
    }

    /// The ticked days' API codes, Monday first.
    pub fn codes(self) -> Vec<String> {
        Self::CODES
            .iter()
            .zip(self.0)
            .filter(|(_, on)| *on)
            .map(|(code, _)| (*code).to_owned())
            .collect()
    }

    pub fn is_ticked(self, index_from_monday: usize) -> bool {
        self.0[index_from_monday]
    }

    /// A seven-character mask, "1010100" for Mon/Wed/Fri, as the store keeps it.
    pub fn mask(self) -> String {
        self.0
            .iter()
            .map(|&on| if on { '1' } else { '0' })
            .collect()
    }

    pub fn from_mask(mask: &str) -> Option<Weekdays> {
        let bytes = mask.as_bytes();
        if bytes.len() != 7 || bytes.iter().any(|b| *b != b'0' && *b != b'1') {
            return None;
        }
        Some(Weekdays(std::array::from_fn(|i| bytes[i] == b'1')))
    }

    /// "Mon/Wed/Fri".
    pub fn label(self) -> String {
        Self::NAMES
            .iter()
            .zip(self.0)
            .filter(|(_, on)| *on)
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// One timetable row: a quantity on each ticked day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimetableRow {
    pub days: Weekdays,
    pub quantity: Quantity,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Timetable {
    pub rows: Vec<TimetableRow>,
}

impl Timetable {
    /// Units scheduled on the days of the week the mask allows.
    fn units_on(&self, allowed: [bool; 7]) -> Decimal {
        self.rows
            .iter()
            .map(|row| {
                let days = (0..7)
                    .filter(|&d| row.days.is_ticked(d) && allowed[d])
                    .count();
                row.quantity.value() * Decimal::from(days)
            })
            .sum()
    }

    /// Units in a whole week.
    pub fn weekly_units(&self) -> Decimal {
        self.units_on([true; 7])
    }
}

/// What a CPLI plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CpliPlan {
    PerUnit { weekly_quantity: Quantity },
    Timetabled { timetable: Timetable },
    Intermittent { annual_allocation: Quantity },
}

/// One service for one client, over a span of dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cpli {
    pub start: Date,
    pub end: Option<Date>,
    pub plan: CpliPlan,
    pub planned_visits: Quantity,
}

fn to_two_places(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

impl Cpli {
    /// Which days of the week fall inside the CPLI's dates.
    pub fn active_days(&self, week: Week) -> [bool; 7] {
        week.days()
            .map(|day| day >= self.start && self.end.is_none_or(|end| day <= end))
    }

    pub fn is_active_in(&self, week: Week) -> bool {
        self.active_days(week).iter().any(|&on| on)
    }

    /// Planned units for the week, pro rata for a part week (DOMAIN 4.3). None for an
    /// intermittent CPLI, which has no weekly plan, and for a week outside its dates.
    pub fn planned_for_week(&self, week: Week) -> Option<Quantity> {
        let active = self.active_days(week);
        let days_active = active.iter().filter(|&&on| on).count();
        if days_active == 0 {
            return None;
        }
        let units = match &self.plan {
            CpliPlan::PerUnit { weekly_quantity } if days_active == 7 => weekly_quantity.value(),
            CpliPlan::PerUnit { weekly_quantity } => to_two_places(
                weekly_quantity.value() * Decimal::from(days_active) / Decimal::from(7),
            ),
            CpliPlan::Timetabled { timetable } => timetable.units_on(active),
            CpliPlan::Intermittent { .. } => return None,
        };
        Quantity::from_decimal(units).ok()
    }

    /// Planned visits for the week; a part week plans the same share of visits, whole.
    pub fn planned_visits_for_week(&self, week: Week) -> Quantity {
        let days_active = self.active_days(week).iter().filter(|&&on| on).count();
        if days_active == 7 {
            return self.planned_visits;
        }
        let share = (self.planned_visits.value() * Decimal::from(days_active) / Decimal::from(7))
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        Quantity::from_decimal(share).unwrap_or(Quantity::zero())
    }

    /// The actual generated from plan: Actual = Planned, nothing frustrated, missed or
    /// extra, visits as planned. None where the CPLI generates nothing for the week.
    pub fn generate(&self, week: Week) -> Option<ActualFigures> {
        let planned = self.planned_for_week(week)?;
        Some(ActualFigures::as_planned(
            planned,
            Some(self.planned_visits_for_week(week)),
        ))
    }

    /// Units in a full week: the weekly quantity, or the timetable's sessions.
    pub fn weekly_units(&self) -> Decimal {
        match &self.plan {
            CpliPlan::PerUnit { weekly_quantity } => weekly_quantity.value(),
            CpliPlan::Timetabled { timetable } => timetable.weekly_units(),
            CpliPlan::Intermittent { .. } => Decimal::ZERO,
        }
    }

    /// A full week's cost, "£140.00" for 7 hours at £20.00.
    pub fn weekly_cost(&self, rate: Money) -> Decimal {
        crate::amount::round_to_penny(self.weekly_units() * rate.value())
    }

    /// "7 x Hours at £20.00 (Spot)", as the CPLI list shows the pricing.
    pub fn pricing_description(&self, unit: Unit, rate: Money) -> String {
        match &self.plan {
            CpliPlan::PerUnit { weekly_quantity } => format!(
                "{} x {} at {} (Spot)",
                format_number(weekly_quantity.value()),
                unit.for_count(weekly_quantity.value()),
                format_money(rate.value())
            ),
            CpliPlan::Timetabled { timetable } => format!(
                "{} x {} (Timetabled Pricing) (Spot)",
                format_number(timetable.weekly_units()),
                unit.for_count(timetable.weekly_units())
            ),
            CpliPlan::Intermittent { annual_allocation } => format!(
                "{} {} a year at {} (Intermittent)",
                format_number(annual_allocation.value()),
                unit.for_count(annual_allocation.value()),
                format_money(rate.value())
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn quantity(text: &str) -> Quantity {
        Quantity::parse(text).unwrap()
    }

    fn per_unit(hours: &str, start: Date, end: Option<Date>) -> Cpli {
        Cpli {
            start,
            end,
            plan: CpliPlan::PerUnit {
                weekly_quantity: quantity(hours),
            },
            planned_visits: quantity(hours),
        }
    }

    fn iris_angelo() -> Cpli {
        let mon_wed_fri = Weekdays([true, false, true, false, true, false, false]);
        let tue_thu = Weekdays([false, true, false, true, false, false, false]);
        Cpli {
            start: date!(2022 - 03 - 28),
            end: None,
            plan: CpliPlan::Timetabled {
                timetable: Timetable {
                    rows: vec![
                        TimetableRow {
                            days: mon_wed_fri,
                            quantity: quantity("1"),
                        },
                        TimetableRow {
                            days: tue_thu,
                            quantity: quantity("1"),
                        },
                    ],
                },
            },
            planned_visits: quantity("5"),
        }
    }

    #[test]
    fn a_full_week_plans_the_weekly_quantity() {
        let eric = per_unit("7", date!(2021 - 04 - 05), None);
        let week = Week::parse("2022-06-06").unwrap();
        let generated = eric.generate(week).unwrap();
        assert_eq!(generated.planned, quantity("7"));
        assert_eq!(generated.actual, quantity("7"));
        assert_eq!(generated.visits, Some(quantity("7")));
    }

    #[test]
    fn a_part_week_is_pro_rata_by_days_to_two_places() {
        // Phoebe Buffay starts on a Monday; a CPLI starting Wednesday 10/07/2019 has 5 days.
        let starts_wednesday = per_unit("3.5", date!(2019 - 07 - 10), None);
        let week = Week::parse("2019-07-08").unwrap();
        assert_eq!(
            starts_wednesday.planned_for_week(week),
            Some(quantity("2.5"))
        );
        let ends_tuesday = per_unit("14", date!(2019 - 01 - 01), Some(date!(2019 - 07 - 09)));
        // 14 x 2/7 = 4
        assert_eq!(ends_tuesday.planned_for_week(week), Some(quantity("4")));
        let one_day = per_unit("7", date!(2019 - 07 - 14), None);
        assert_eq!(one_day.planned_for_week(week), Some(quantity("1")));
        let thirds = per_unit("5", date!(2019 - 07 - 12), None);
        // 5 x 3/7 = 2.142857.. -> 2.14
        assert_eq!(thirds.planned_for_week(week), Some(quantity("2.14")));
    }

    #[test]
    fn a_week_outside_the_dates_generates_nothing() {
        let ended = per_unit("7", date!(2021 - 04 - 05), Some(date!(2022 - 06 - 05)));
        assert_eq!(ended.generate(Week::parse("2022-06-06").unwrap()), None);
    }

    #[test]
    fn timetabled_weeks_count_the_scheduled_days_inside_the_dates() {
        let iris = iris_angelo();
        assert_eq!(
            iris.planned_for_week(Week::parse("2022-04-04").unwrap()),
            Some(quantity("5"))
        );
        // The CPLI ends on Wednesday: Mon, Tue and Wed are scheduled.
        let mut ending = iris.clone();
        ending.end = Some(date!(2022 - 04 - 06));
        assert_eq!(
            ending.planned_for_week(Week::parse("2022-04-04").unwrap()),
            Some(quantity("3"))
        );
        assert_eq!(
            iris.weekly_cost(Money::parse("214.46").unwrap())
                .to_string(),
            "1072.30"
        );
        assert_eq!(
            iris.pricing_description(Unit::Session, Money::parse("214.46").unwrap()),
            "5 x Sessions (Timetabled Pricing) (Spot)"
        );
    }

    #[test]
    fn intermittent_cplis_generate_nothing() {
        let respite = Cpli {
            start: date!(2022 - 01 - 01),
            end: None,
            plan: CpliPlan::Intermittent {
                annual_allocation: quantity("28"),
            },
            planned_visits: Quantity::zero(),
        };
        assert_eq!(respite.generate(Week::parse("2022-06-06").unwrap()), None);
    }

    #[test]
    fn pricing_reads_as_in_the_cpli_list() {
        let eric = per_unit("7", date!(2021 - 04 - 05), None);
        let rate = Money::parse("20").unwrap();
        assert_eq!(
            eric.pricing_description(Unit::Hour, rate),
            "7 x Hours at £20.00 (Spot)"
        );
        assert_eq!(eric.weekly_cost(rate).to_string(), "140.00");
        let sid = per_unit("1", date!(2021 - 04 - 05), None);
        assert_eq!(
            sid.pricing_description(Unit::Hour, rate),
            "1 x Hour at £20.00 (Spot)"
        );
    }
}
