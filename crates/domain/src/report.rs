//! The arithmetic of the reports (DOMAIN 12), so the server's reports and the screens that
//! show the same lines can never disagree.
//!
//! Commissioned vs Actuals compares, per client, CPLI and week, the plan with what was
//! delivered: Difference = Actual + Frustrated - Commissioned, in units and in money. Each
//! cost is rounded to the penny per line; totals are sums of lines.

use std::iter::Sum;
use std::ops::{Add, AddAssign};

use rust_decimal::Decimal;

use crate::amount::round_to_penny;
use crate::{ActualFigures, Money, Quantity};

/// One line's commissioned against delivered figures, or a sum of lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommissionedVsActual {
    pub commissioned_units: Decimal,
    pub actual_units: Decimal,
    pub frustrated_units: Decimal,
    pub commissioned_cost: Decimal,
    pub actual_cost: Decimal,
    pub frustrated_cost: Decimal,
}

impl CommissionedVsActual {
    /// A recorded week: the plan it kept, and what was delivered. The actual and
    /// frustrated costs add up to exactly the line's cost on the actuals screen
    /// (`ActualFigures::cost`), whatever the rounding of each part.
    pub fn recorded(figures: &ActualFigures, rate: Money) -> CommissionedVsActual {
        CommissionedVsActual::delivered(figures.planned, figures.actual, figures.frustrated, rate)
    }

    /// The same from the three quantities alone (the reports read no more of a line).
    pub fn delivered(
        planned: Quantity,
        actual: Quantity,
        frustrated: Quantity,
        rate: Money,
    ) -> CommissionedVsActual {
        // Paid units x rate, as `ActualFigures::cost` prices a line.
        let line_cost = round_to_penny((actual.value() + frustrated.value()) * rate.value());
        let frustrated_cost = round_to_penny(frustrated.value() * rate.value());
        CommissionedVsActual {
            commissioned_units: planned.value(),
            actual_units: actual.value(),
            frustrated_units: frustrated.value(),
            commissioned_cost: round_to_penny(planned.value() * rate.value()),
            actual_cost: line_cost - frustrated_cost,
            frustrated_cost,
        }
    }

    /// A week with no actual yet: the plan, and nothing delivered.
    pub fn not_recorded(planned_units: Decimal, rate: Money) -> CommissionedVsActual {
        CommissionedVsActual {
            commissioned_units: planned_units,
            commissioned_cost: round_to_penny(planned_units * rate.value()),
            ..CommissionedVsActual::default()
        }
    }

    /// Actual + Frustrated - Commissioned, in units.
    pub fn difference_units(&self) -> Decimal {
        self.delivered_units() - self.commissioned_units
    }

    /// Actual + Frustrated - Commissioned, in money.
    pub fn difference_cost(&self) -> Decimal {
        self.delivered_cost() - self.commissioned_cost
    }

    /// What is paid for: Actual + Frustrated.
    pub fn delivered_units(&self) -> Decimal {
        self.actual_units + self.frustrated_units
    }

    pub fn delivered_cost(&self) -> Decimal {
        self.actual_cost + self.frustrated_cost
    }

    /// Whether "Differences Only" keeps the line.
    pub fn differs(&self) -> bool {
        !self.difference_units().is_zero() || !self.difference_cost().is_zero()
    }
}

impl Add for CommissionedVsActual {
    type Output = CommissionedVsActual;
    fn add(self, other: CommissionedVsActual) -> CommissionedVsActual {
        CommissionedVsActual {
            commissioned_units: self.commissioned_units + other.commissioned_units,
            actual_units: self.actual_units + other.actual_units,
            frustrated_units: self.frustrated_units + other.frustrated_units,
            commissioned_cost: self.commissioned_cost + other.commissioned_cost,
            actual_cost: self.actual_cost + other.actual_cost,
            frustrated_cost: self.frustrated_cost + other.frustrated_cost,
        }
    }
}

impl AddAssign for CommissionedVsActual {
    fn add_assign(&mut self, other: CommissionedVsActual) {
        *self = *self + other;
    }
}

impl Sum for CommissionedVsActual {
    fn sum<I: Iterator<Item = CommissionedVsActual>>(lines: I) -> CommissionedVsActual {
        lines.fold(CommissionedVsActual::default(), Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn quantity(text: &str) -> Quantity {
        Quantity::parse(text).unwrap()
    }

    fn figures(planned: &str, actual: &str, frustrated: &str) -> ActualFigures {
        ActualFigures {
            planned: quantity(planned),
            actual: quantity(actual),
            frustrated: quantity(frustrated),
            missed: Quantity::zero(),
            extra: Quantity::zero(),
            visits: None,
            comment: String::new(),
        }
    }

    fn money(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    /// E16: Bedford's Commissioned vs Actuals for Iris Angelo, £214.46 a session.
    #[test]
    fn e16_both_weeks_and_their_totals() {
        let rate = Money::parse("214.46").unwrap();
        let first = CommissionedVsActual::recorded(&figures("5", "3", "0"), rate);
        assert_eq!(first.commissioned_cost, money("1072.30"));
        assert_eq!(first.actual_cost, money("643.38"));
        assert_eq!(first.frustrated_cost, money("0.00"));
        assert_eq!(first.difference_units(), money("-2"));
        assert_eq!(first.difference_cost(), money("-428.92"));

        let second = CommissionedVsActual::recorded(&figures("5", "4", "1"), rate);
        assert_eq!(second.actual_cost, money("857.84"));
        assert_eq!(second.frustrated_cost, money("214.46"));
        assert_eq!(second.difference_units(), Decimal::ZERO);
        assert_eq!(second.difference_cost(), Decimal::ZERO);
        assert!(!second.differs());

        let totals: CommissionedVsActual = [first, second].into_iter().sum();
        assert_eq!(totals.commissioned_units, money("10"));
        assert_eq!(totals.actual_units, money("7"));
        assert_eq!(totals.frustrated_units, money("1"));
        assert_eq!(totals.difference_units(), money("-2"));
        assert_eq!(totals.commissioned_cost, money("2144.60"));
        assert_eq!(totals.actual_cost, money("1501.22"));
        assert_eq!(totals.frustrated_cost, money("214.46"));
        assert_eq!(totals.difference_cost(), money("-428.92"));
    }

    #[test]
    fn a_week_without_actuals_is_all_difference() {
        let rate = Money::parse("20.00").unwrap();
        let week = CommissionedVsActual::not_recorded(money("7"), rate);
        assert_eq!(week.commissioned_cost, money("140.00"));
        assert_eq!(week.difference_cost(), money("-140.00"));
        assert!(week.differs());
    }

    proptest! {
        /// Actual and frustrated costs add up to the line's cost on the actuals screen,
        /// to the penny, however each part rounds.
        #[test]
        fn delivered_cost_is_the_line_cost(
            actual in 0u32..4000, frustrated in 0u32..400, planned in 0u32..4000, pence in 1u32..100_000
        ) {
            let text = |hundredths: u32| Decimal::new(i64::from(hundredths), 2).to_string();
            let rate = Money::parse(&Decimal::new(i64::from(pence), 2).to_string()).unwrap();
            let line = figures(&text(planned), &text(actual), &text(frustrated));
            let report = CommissionedVsActual::recorded(&line, rate);
            prop_assert_eq!(report.delivered_cost(), line.cost(rate));
            prop_assert_eq!(report.difference_cost(), line.cost(rate) - report.commissioned_cost);
        }
    }
}
