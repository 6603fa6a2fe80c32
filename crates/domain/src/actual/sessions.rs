//! Timetabled actuals (DOMAIN 4.4) and intermittent lines (DOMAIN 4.5): how their rows
//! and ad-hoc figures become an ordinary line's Actual, Frustrated, Missed and Extra, so the
//! cost, colour and exceptions follow the same rules as every other line.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::actual::ActualFigures;
use crate::amount::{round_to_penny, AmountError, Money, Quantity};
use crate::cpli::{Timetable, Weekdays};

/// One row of a timetabled actual: the days it was delivered on, the sessions each day,
/// and whether those sessions were frustrated (planned, not delivered, still paid).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub days: Weekdays,
    pub quantity: Quantity,
    pub frustrated: bool,
    pub comment: String,
}

impl SessionRow {
    /// Ticked days x quantity.
    pub fn units(&self) -> Decimal {
        let days = self.days.0.iter().filter(|&&on| on).count();
        self.quantity.value() * Decimal::from(days)
    }

    /// "A row costs ticked days x quantity x rate", to the penny.
    pub fn cost(&self, rate: Money) -> Decimal {
        round_to_penny(self.units() * rate.value())
    }

    /// "Mon/Wed/Fri x 1", with "(frustrated)" when flagged: how a history names the row.
    pub fn label(&self) -> String {
        let days = match self.days.label() {
            label if label.is_empty() => "No days".to_owned(),
            label => label,
        };
        let flag = if self.frustrated { " (frustrated)" } else { "" };
        format!(
            "{days} x {}{flag}",
            crate::format::format_number(self.quantity.value())
        )
    }
}

/// The rows Generate Actuals writes: the timetable's rows on the days the CPLI is active
/// that week, none frustrated. Rows left with no day are dropped.
pub fn planned_rows(timetable: &Timetable, active_days: [bool; 7]) -> Vec<SessionRow> {
    timetable
        .rows
        .iter()
        .filter_map(|row| {
            let days = Weekdays(std::array::from_fn(|d| row.days.0[d] && active_days[d]));
            days.0.iter().any(|&on| on).then(|| SessionRow {
                days,
                quantity: row.quantity,
                frustrated: false,
                comment: String::new(),
            })
        })
        .collect()
}

/// Sessions planned on each day of the week, Monday first.
fn planned_by_day(timetable: &Timetable, active_days: [bool; 7]) -> [Decimal; 7] {
    std::array::from_fn(|d| {
        if !active_days[d] {
            return Decimal::ZERO;
        }
        timetable
            .rows
            .iter()
            .filter(|row| row.days.0[d])
            .map(|row| row.quantity.value())
            .sum()
    })
}

/// Turns a timetabled actual's rows into the line's figures (DOMAIN 4.4): Planned from the
/// timetable; Actual sums the unflagged rows and Frustrated the flagged ones; day by day,
/// what falls short of the plan is Missed and what goes beyond it is Extra. The figures
/// therefore always add up. The line's comment is the one given, or else the rows' comments.
pub fn figures_from_rows(
    timetable: &Timetable,
    active_days: [bool; 7],
    rows: &[SessionRow],
    visits: Option<Quantity>,
    comment: &str,
) -> Result<ActualFigures, AmountError> {
    let planned = planned_by_day(timetable, active_days);
    let (mut actual, mut frustrated, mut missed, mut extra) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for (day, planned_today) in planned.iter().enumerate() {
        let on_day = |flagged: bool| -> Decimal {
            rows.iter()
                .filter(|row| row.frustrated == flagged && row.days.0[day])
                .map(|row| row.quantity.value())
                .sum()
        };
        let delivered = on_day(false);
        let frustrated_today = on_day(true);
        let accounted = delivered + frustrated_today;
        actual += delivered;
        frustrated += frustrated_today;
        if accounted < *planned_today {
            missed += planned_today - accounted;
        } else {
            extra += accounted - planned_today;
        }
    }
    let comment = match comment.trim() {
        "" => rows
            .iter()
            .map(|row| row.comment.trim())
            .filter(|text| !text.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        given => given.to_owned(),
    };
    Ok(ActualFigures {
        planned: Quantity::from_decimal(planned.iter().sum())?,
        actual: Quantity::from_decimal(actual)?,
        frustrated: Quantity::from_decimal(frustrated)?,
        missed: Quantity::from_decimal(missed)?,
        extra: Quantity::from_decimal(extra)?,
        visits,
        comment,
    })
}

/// An ad-hoc line of an intermittent CPLI (short breaks, rolling respite) has no weekly
/// plan: what was booked is taken as its plan (Actual + Frustrated + Missed - Extra), so
/// the line adds up and only a departure from the booking wants a comment. The year's
/// allocation is what limits it (the "Allocation exceeded" exception).
pub fn intermittent_figures(
    actual: Quantity,
    frustrated: Quantity,
    missed: Quantity,
    extra: Quantity,
    visits: Option<Quantity>,
    comment: &str,
) -> Result<ActualFigures, AmountError> {
    let booked = actual.value() + frustrated.value() + missed.value() - extra.value();
    Ok(ActualFigures {
        planned: Quantity::from_decimal(booked.max(Decimal::ZERO))?,
        actual,
        frustrated,
        missed,
        extra,
        visits,
        comment: comment.trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actual::{assess, ExceptionKind, ExceptionSettings, LineContext, LineKind};
    use crate::cpli::TimetableRow;
    use crate::service_level::Unit;

    fn quantity(text: &str) -> Quantity {
        Quantity::parse(text).unwrap()
    }

    fn days(mask: &str) -> Weekdays {
        Weekdays::from_mask(mask).unwrap()
    }

    /// E15: Iris Angelo, Mon/Wed/Fri and Tue/Thu, one session each.
    fn iris_angelo() -> Timetable {
        Timetable {
            rows: vec![
                TimetableRow {
                    days: days("1010100"),
                    quantity: quantity("1"),
                },
                TimetableRow {
                    days: days("0101000"),
                    quantity: quantity("1"),
                },
            ],
        }
    }

    fn row(mask: &str, frustrated: bool, comment: &str) -> SessionRow {
        SessionRow {
            days: days(mask),
            quantity: quantity("1"),
            frustrated,
            comment: comment.to_owned(),
        }
    }

    fn rate() -> Money {
        Money::parse("214.46").unwrap()
    }

    fn cost_of(figures: &ActualFigures) -> Decimal {
        figures.cost(rate())
    }

    #[test]
    fn e15_as_planned_is_five_sessions_costing_1072_30() {
        let rows = planned_rows(&iris_angelo(), [true; 7]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].label(), "Mon/Wed/Fri x 1");
        assert_eq!(rows[1].cost(rate()), Decimal::new(42892, 2));
        let figures = figures_from_rows(&iris_angelo(), [true; 7], &rows, None, "").unwrap();
        assert_eq!(figures.planned, quantity("5"));
        assert_eq!(figures.actual, quantity("5"));
        assert!(!figures.differs_from_plan());
        assert_eq!(cost_of(&figures), Decimal::new(107230, 2));
    }

    #[test]
    fn e16_unticking_wednesday_and_friday_records_two_missed_sessions() {
        let rows = [
            row("1000000", false, "Closed for training"),
            row("0101000", false, ""),
        ];
        let figures = figures_from_rows(&iris_angelo(), [true; 7], &rows, None, "").unwrap();
        assert_eq!(figures.actual, quantity("3"));
        assert_eq!(figures.missed, quantity("2"));
        assert_eq!(figures.extra, quantity("0"));
        assert!(figures.adds_up());
        assert_eq!(figures.comment, "Closed for training");
        assert_eq!(cost_of(&figures), Decimal::new(64338, 2));
    }

    #[test]
    fn e16_a_frustrated_thursday_is_paid_and_adds_up() {
        let rows = [
            row("1010100", false, ""),
            row("0100000", false, ""),
            row("0001000", true, "Client unwell, cancelled on the day"),
        ];
        let figures = figures_from_rows(&iris_angelo(), [true; 7], &rows, None, "").unwrap();
        assert_eq!(figures.actual, quantity("4"));
        assert_eq!(figures.frustrated, quantity("1"));
        assert_eq!(figures.missed, quantity("0"));
        assert!(figures.adds_up());
        // £857.84 delivered and £214.46 frustrated: the whole £1,072.30 is paid.
        assert_eq!(cost_of(&figures), Decimal::new(107230, 2));
    }

    #[test]
    fn a_session_on_an_unplanned_day_is_extra_and_exceeds_the_plan() {
        let mut rows = planned_rows(&iris_angelo(), [true; 7]);
        rows.push(row("0000010", false, ""));
        let figures = figures_from_rows(&iris_angelo(), [true; 7], &rows, None, "").unwrap();
        assert_eq!(figures.actual, quantity("6"));
        assert_eq!(figures.extra, quantity("1"));
        let assessment = assess(
            &figures,
            &LineContext {
                subject: "Ms Iris Angelo (A1)",
                unit: Unit::Session,
                rate: rate(),
                kind: LineKind::Planned,
                settings: &ExceptionSettings::default(),
            },
        );
        let kinds: Vec<_> = assessment.exceptions.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            vec![ExceptionKind::PlanExceeded, ExceptionKind::CommentMissing]
        );
    }

    #[test]
    fn a_part_week_plans_only_the_active_days() {
        // Starting on a Wednesday: Mon and Tue are outside the CPLI's dates.
        let active = [false, false, true, true, true, true, true];
        let rows = planned_rows(&iris_angelo(), active);
        assert_eq!(rows[0].label(), "Wed/Fri x 1");
        assert_eq!(rows[1].label(), "Thu x 1");
        let figures = figures_from_rows(&iris_angelo(), active, &rows, None, "").unwrap();
        assert_eq!(figures.planned, quantity("3"));
    }

    #[test]
    fn short_break_nights_past_the_allocation_raise_allocation_exceeded() {
        let figures = intermittent_figures(
            quantity("4"),
            quantity("0"),
            quantity("0"),
            quantity("0"),
            None,
            "",
        )
        .unwrap();
        assert!(figures.adds_up());
        assert!(!figures.differs_from_plan());
        let settings = ExceptionSettings::default();
        let context = |used: &str| LineContext {
            subject: "Mr Ross Geller (S1)",
            unit: Unit::Night,
            rate: Money::parse("95.00").unwrap(),
            kind: LineKind::Intermittent {
                annual_allocation: quantity("28"),
                used_elsewhere: Decimal::from_str_exact(used).unwrap(),
            },
            settings: &settings,
        };
        assert!(assess(&figures, &context("24")).exceptions.is_empty());
        let over = assess(&figures, &context("25"));
        assert_eq!(over.exceptions.len(), 1);
        assert_eq!(over.exceptions[0].kind, ExceptionKind::AllocationExceeded);
        assert!(over.exceptions[0]
            .message
            .contains("takes the year's total to 29 Nights, over the annual allocation of 28"));
        assert_eq!(over.cost, Decimal::new(38000, 2));
    }
}
