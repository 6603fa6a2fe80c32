//! Payment periods and scheduled payments (DOMAIN 2 and 5).
//!
//! A contract pays in periods of one, two or four whole weeks anchored on its first period's
//! start. For a contract that pays on actuals, each period schedules, per client and CPLI, a
//! line for the planned cost and an "Adj." line for the difference the entered actuals make;
//! a client with a Suspend exception has every line suspended. Weeks of periods already paid
//! come back as "Adj." lines in the next open period when their cost has changed since, or
//! when what was held back then has not been settled.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::amount::round_to_penny;
use crate::calendar::Week;

/// One payment period: whole weeks from a Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PaymentPeriod {
    first_week: Week,
    weeks: u8,
}

/// Why a contract's period settings do not describe a calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("a payment period is 1, 2 or 4 weeks long")]
    Length,
    #[error("a contract's periods start on a Monday")]
    AnchorNotMonday,
}

/// A contract's calendar of periods: the anchor (its first period's Monday) and the length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodCalendar {
    anchor: Week,
    weeks: u8,
}

impl PeriodCalendar {
    pub fn new(anchor: Date, weeks: i64) -> Result<PeriodCalendar, PeriodError> {
        let weeks = match weeks {
            1 | 2 | 4 => weeks as u8,
            _ => return Err(PeriodError::Length),
        };
        let anchor = Week::starting(anchor).map_err(|_| PeriodError::AnchorNotMonday)?;
        Ok(PeriodCalendar { anchor, weeks })
    }

    pub fn weeks(self) -> u8 {
        self.weeks
    }

    /// The period holding `day`, or `None` before the contract's first period.
    pub fn period_containing(self, day: Date) -> Option<PaymentPeriod> {
        let days_in = (day - self.anchor.monday()).whole_days();
        if days_in < 0 {
            return None;
        }
        let length = 7 * i64::from(self.weeks);
        let start = self.anchor.monday() + Duration::days(days_in - days_in % length);
        Some(PaymentPeriod {
            first_week: Week::containing(start),
            weeks: self.weeks,
        })
    }

    /// The period starting on `start`, if a period starts there.
    pub fn period_starting(self, start: Date) -> Option<PaymentPeriod> {
        self.period_containing(start)
            .filter(|period| period.start() == start)
    }

    /// Every period from the first through the one holding `day`, oldest first.
    pub fn periods_through(self, day: Date) -> Vec<PaymentPeriod> {
        let Some(last) = self.period_containing(day) else {
            return Vec::new();
        };
        let mut periods = Vec::new();
        let mut period = PaymentPeriod {
            first_week: self.anchor,
            weeks: self.weeks,
        };
        while period <= last {
            periods.push(period);
            period = period.next();
        }
        periods
    }
}

impl PaymentPeriod {
    pub fn start(self) -> Date {
        self.first_week.monday()
    }

    pub fn end(self) -> Date {
        self.start() + Duration::days(7 * i64::from(self.weeks) - 1)
    }

    /// The period's weeks, in order.
    pub fn weeks(self) -> Vec<Week> {
        let mut weeks = Vec::with_capacity(usize::from(self.weeks));
        let mut week = self.first_week;
        for _ in 0..self.weeks {
            weeks.push(week);
            week = week.next();
        }
        weeks
    }

    pub fn contains(self, day: Date) -> bool {
        self.start() <= day && day <= self.end()
    }

    pub fn next(self) -> PaymentPeriod {
        PaymentPeriod {
            first_week: Week::containing(self.end() + Duration::days(1)),
            weeks: self.weeks,
        }
    }

    /// "06/06/2022 - 12/06/2022", as the guides write applicable dates.
    pub fn label(self) -> String {
        format!(
            "{} - {}",
            crate::format::format_date(self.start()),
            crate::format::format_date(self.end())
        )
    }
}

/// A scheduled line's status (DOMAIN 5). Payable lines are `Pay`; the rest are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LineStatus {
    Pay,
    Suspend,
    Cancel,
    /// Held back when the period was paid; it comes back in the next open period.
    CarryForward,
}

impl LineStatus {
    pub const ALL: [LineStatus; 4] = [
        LineStatus::Pay,
        LineStatus::Suspend,
        LineStatus::Cancel,
        LineStatus::CarryForward,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LineStatus::Pay => "pay",
            LineStatus::Suspend => "suspend",
            LineStatus::Cancel => "cancel",
            LineStatus::CarryForward => "carry_forward",
        }
    }

    pub fn parse(code: &str) -> Option<LineStatus> {
        LineStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }

    /// As the guides print it: "Pay", "Suspend", "Cancel", "Carry forward".
    pub fn label(self) -> &'static str {
        match self {
            LineStatus::Pay => "Pay",
            LineStatus::Suspend => "Suspend",
            LineStatus::Cancel => "Cancel",
            LineStatus::CarryForward => "Carry forward",
        }
    }

    pub fn is_payable(self) -> bool {
        self == LineStatus::Pay
    }

    /// Settled lines are done with: paid, or cancelled by the council. A line held back
    /// (suspended or carried forward) when its period was paid is still owed a decision.
    pub fn settles(self) -> bool {
        matches!(self, LineStatus::Pay | LineStatus::Cancel)
    }
}

/// A council's (or a dispute's) word on one scheduled line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineDecision {
    /// The council pays it despite a suspension.
    Pay,
    /// The council will not pay it, with the reason shown to the provider.
    Cancel(String),
    /// The provider disputes the line: it is held back until the council decides.
    Disputed(String),
}

/// What one CPLI (or unplanned line) cost in one week, as the actuals grid computes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekCost {
    /// The CPLI's planned cost for the week (zero for an unplanned or intermittent line).
    pub planned: Decimal,
    /// The cost of the entered actuals; `None` while none is entered, when the plan stands.
    pub actual: Option<Decimal>,
    /// True when the line raises a Suspend exception that week.
    pub suspends: bool,
}

impl WeekCost {
    /// What the week is worth now: the actuals' cost once entered, the plan until then.
    pub fn due(self) -> Decimal {
        self.actual.unwrap_or(self.planned)
    }
}

/// The two kinds of scheduled line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LineKind {
    /// The planned cost.
    Cost,
    /// "Adj.": the difference the actuals make, or an amendment to a paid week.
    Adjustment,
}

/// The planned-cost and adjustment amounts of one CPLI over a period's weeks: the cost line
/// is the plan, and the adjustment is what the entered actuals change. Each is a sum of
/// weekly lines already rounded to the penny.
pub fn period_amounts(weeks: &[WeekCost]) -> (Decimal, Decimal) {
    let planned: Decimal = weeks.iter().map(|week| round_to_penny(week.planned)).sum();
    let due: Decimal = weeks.iter().map(|week| round_to_penny(week.due())).sum();
    (planned, due - planned)
}

/// A line's status: a council decision or a dispute wins; otherwise a client with any
/// suspending line this period has every line suspended.
pub fn line_status(client_suspended: bool, decision: Option<&LineDecision>) -> LineStatus {
    match decision {
        Some(LineDecision::Pay) => LineStatus::Pay,
        Some(LineDecision::Cancel(_)) => LineStatus::Cancel,
        Some(LineDecision::Disputed(_)) => LineStatus::Suspend,
        None if client_suspended => LineStatus::Suspend,
        None => LineStatus::Pay,
    }
}

/// Whether a decision may be made on a line as it stands; the refusal says why (409).
/// Council staff pay a held or cancelled line and cancel any line not cancelled yet; the
/// provider disputes a line not disputed or cancelled already.
pub fn may_decide(
    current: LineStatus,
    disputed: bool,
    decision: &LineDecision,
) -> Result<(), &'static str> {
    match decision {
        LineDecision::Pay if current == LineStatus::Pay => Err("This line is paid already."),
        LineDecision::Cancel(_) if current == LineStatus::Cancel => {
            Err("This line is cancelled already.")
        }
        LineDecision::Disputed(_) if disputed => Err("This line is disputed already."),
        LineDecision::Disputed(_) if current == LineStatus::Cancel => {
            Err("The council has cancelled this line; raise it with them instead.")
        }
        _ => Ok(()),
    }
}

/// What is still owed for a week of a paid period: its cost now, less the lines settled
/// (paid or cancelled) for it so far. Non-zero after an amendment inside the window, or
/// when a line was held back at payment.
pub fn outstanding(due_now: Decimal, settled: Decimal) -> Decimal {
    round_to_penny(due_now) - settled
}

/// VAT on one line, rounded half away from zero to the penny.
pub fn vat_on(amount: Decimal, rate_percent: Decimal) -> Decimal {
    round_to_penny(amount * rate_percent / Decimal::ONE_HUNDRED)
}

/// Whether a paid period's amendment window has closed by `today`: amendments are taken
/// for `window_days` days from the day the period was finalised (none when it is zero).
pub fn amendment_window_closed(finalised_on: Date, window_days: i64, today: Date) -> bool {
    today >= amendment_window_closes_on(finalised_on, window_days)
}

/// The first day a paid period's actuals refuse amendments.
pub fn amendment_window_closes_on(finalised_on: Date, window_days: i64) -> Date {
    finalised_on + Duration::days(window_days.max(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    #[test]
    fn bradford_weekly_periods_are_its_weeks() {
        let calendar = PeriodCalendar::new(date!(2021 - 04 - 05), 1).unwrap();
        let period = calendar.period_containing(date!(2022 - 06 - 08)).unwrap();
        assert_eq!(period.label(), "06/06/2022 - 12/06/2022");
        assert_eq!(period.weeks().len(), 1);
    }

    #[test]
    fn stockport_fortnight_holds_e14s_dates() {
        let calendar = PeriodCalendar::new(date!(2019 - 06 - 24), 2).unwrap();
        let period = calendar.period_containing(date!(2019 - 07 - 15)).unwrap();
        assert_eq!(period.label(), "08/07/2019 - 21/07/2019");
        assert_eq!(
            calendar.period_starting(date!(2019 - 07 - 08)),
            Some(period)
        );
        assert_eq!(calendar.period_starting(date!(2019 - 07 - 15)), None);
    }

    #[test]
    fn bedford_four_weeks_run_28_march_to_24_april() {
        let calendar = PeriodCalendar::new(date!(2022 - 03 - 28), 4).unwrap();
        let period = calendar.period_containing(date!(2022 - 04 - 24)).unwrap();
        assert_eq!(period.label(), "28/03/2022 - 24/04/2022");
        assert_eq!(
            period.next().label(),
            "25/04/2022 - 22/05/2022",
            "the next period follows on"
        );
        assert_eq!(calendar.period_containing(date!(2022 - 03 - 27)), None);
    }

    #[test]
    fn periods_through_lists_every_period_in_order() {
        let calendar = PeriodCalendar::new(date!(2019 - 06 - 24), 2).unwrap();
        let periods = calendar.periods_through(date!(2019 - 07 - 21));
        let labels: Vec<String> = periods.into_iter().map(PaymentPeriod::label).collect();
        assert_eq!(
            labels,
            ["24/06/2019 - 07/07/2019", "08/07/2019 - 21/07/2019"]
        );
    }

    #[test]
    fn bad_settings_are_refused() {
        assert_eq!(
            PeriodCalendar::new(date!(2019 - 06 - 24), 3),
            Err(PeriodError::Length)
        );
        assert_eq!(
            PeriodCalendar::new(date!(2019 - 06 - 25), 2),
            Err(PeriodError::AnchorNotMonday)
        );
    }

    #[test]
    fn e12_sid_waddell_is_planned_20_with_a_40_adjustment_all_suspended() {
        // E7: planned 1 hour, actual 3 at £20.00 -> £60.00, Plan exceeded (Suspend).
        let weeks = [WeekCost {
            planned: dec!(20.00),
            actual: Some(dec!(60.00)),
            suspends: true,
        }];
        let (cost, adjustment) = period_amounts(&weeks);
        assert_eq!((cost, adjustment), (dec!(20.00), dec!(40.00)));
        assert_eq!(line_status(true, None), LineStatus::Suspend);
        assert_eq!(cost + adjustment, dec!(60.00));
    }

    #[test]
    fn e14_a_fortnight_without_actuals_pays_the_plan() {
        let weeks = [
            WeekCost {
                planned: dec!(226.24),
                actual: None,
                suspends: false,
            },
            WeekCost {
                planned: dec!(226.24),
                actual: Some(dec!(226.24)),
                suspends: false,
            },
        ];
        assert_eq!(period_amounts(&weeks), (dec!(452.48), dec!(0.00)));
    }

    #[test]
    fn decisions_win_over_the_suspension() {
        assert_eq!(line_status(true, Some(&LineDecision::Pay)), LineStatus::Pay);
        assert_eq!(
            line_status(false, Some(&LineDecision::Cancel("duplicate".into()))),
            LineStatus::Cancel
        );
        assert_eq!(
            line_status(false, Some(&LineDecision::Disputed("wrong rate".into()))),
            LineStatus::Suspend
        );
    }

    #[test]
    fn illegal_line_decisions_are_refused_with_the_reason() {
        let dispute = LineDecision::Disputed("wrong rate".into());
        assert_eq!(
            may_decide(LineStatus::Pay, false, &LineDecision::Pay),
            Err("This line is paid already.")
        );
        assert_eq!(
            may_decide(
                LineStatus::Cancel,
                false,
                &LineDecision::Cancel("dup".into())
            ),
            Err("This line is cancelled already.")
        );
        assert_eq!(
            may_decide(LineStatus::Suspend, true, &dispute),
            Err("This line is disputed already.")
        );
        assert!(may_decide(LineStatus::Cancel, false, &dispute).is_err());
        assert_eq!(
            may_decide(LineStatus::Suspend, false, &LineDecision::Pay),
            Ok(())
        );
        assert_eq!(
            may_decide(LineStatus::Cancel, false, &LineDecision::Pay),
            Ok(()),
            "the council may reverse its cancellation"
        );
        assert_eq!(may_decide(LineStatus::Pay, false, &dispute), Ok(()));
    }

    #[test]
    fn bradfords_fourteen_days_run_from_the_payment_day() {
        let paid = date!(2022 - 06 - 20);
        assert!(!amendment_window_closed(paid, 14, date!(2022 - 07 - 03)));
        assert!(amendment_window_closed(paid, 14, date!(2022 - 07 - 04)));
        assert!(
            amendment_window_closed(paid, 0, paid),
            "no window: paid weeks lock at once"
        );
    }

    #[test]
    fn vat_rounds_half_away_from_zero_per_line() {
        assert_eq!(vat_on(dec!(857.84), dec!(20)), dec!(171.57));
        assert_eq!(vat_on(dec!(3002.44), dec!(20)), dec!(600.49));
        assert_eq!(vat_on(dec!(-0.025), dec!(100)), dec!(-0.03));
    }

    proptest! {
        #[test]
        fn cost_plus_adjustment_is_what_the_weeks_are_due(
            weeks in proptest::collection::vec((0i64..100_000, proptest::option::of(0i64..100_000)), 1..5)
        ) {
            let weeks: Vec<WeekCost> = weeks
                .into_iter()
                .map(|(planned, actual)| WeekCost {
                    planned: Decimal::new(planned, 2),
                    actual: actual.map(|pence| Decimal::new(pence, 2)),
                    suspends: false,
                })
                .collect();
            let (cost, adjustment) = period_amounts(&weeks);
            let due: Decimal = weeks.iter().map(|week| week.due()).sum();
            prop_assert_eq!(cost + adjustment, due);
        }

        #[test]
        fn every_day_after_the_anchor_is_in_exactly_one_period(
            weeks in prop_oneof![Just(1i64), Just(2), Just(4)],
            offset in 0i64..3_000,
        ) {
            let calendar = PeriodCalendar::new(date!(2019 - 06 - 24), weeks).unwrap();
            let day = date!(2019 - 06 - 24) + Duration::days(offset);
            let period = calendar.period_containing(day).unwrap();
            prop_assert!(period.contains(day));
            prop_assert!(!period.next().contains(day));
            prop_assert_eq!((period.end() - period.start()).whole_days() + 1, 7 * weeks);
        }
    }
}
