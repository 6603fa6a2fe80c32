//! One actual line: its arithmetic, colour and exceptions (DOMAIN 4.1, 4.2, 4.5, 4.6).
//!
//! Exceptions warn; they never block a save (DOMAIN 15). Their payment effect decides
//! whether the client's payment for the period is suspended.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::amount::{round_to_penny, Money, Quantity};
use crate::format::{format_money, format_number};
use crate::service_level::Unit;

/// What the provider says was delivered against what was planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActualFigures {
    pub planned: Quantity,
    pub actual: Quantity,
    pub frustrated: Quantity,
    pub missed: Quantity,
    pub extra: Quantity,
    pub visits: Option<Quantity>,
    pub comment: String,
}

impl ActualFigures {
    /// A line exactly as planned: what Generate Actuals creates.
    pub fn as_planned(planned: Quantity, visits: Option<Quantity>) -> ActualFigures {
        ActualFigures {
            planned,
            actual: planned,
            frustrated: Quantity::zero(),
            missed: Quantity::zero(),
            extra: Quantity::zero(),
            visits,
            comment: String::new(),
        }
    }

    /// Planned - Frustrated - Missed + Extra: what Actual must be for the line to add up.
    pub fn expected_actual(&self) -> Decimal {
        self.planned.value() - self.frustrated.value() - self.missed.value() + self.extra.value()
    }

    pub fn adds_up(&self) -> bool {
        self.actual.value() == self.expected_actual()
    }

    /// Actual + Frustrated: frustrated care is still paid.
    pub fn paid_units(&self) -> Decimal {
        self.actual.value() + self.frustrated.value()
    }

    /// True when anything on the line departs from the plan.
    pub fn differs_from_plan(&self) -> bool {
        self.actual != self.planned
            || !self.frustrated.is_zero()
            || !self.missed.is_zero()
            || !self.extra.is_zero()
    }

    /// Cost = paid units x rate, rounded to the penny half away from zero.
    pub fn cost(&self, rate: Money) -> Decimal {
        round_to_penny(self.paid_units() * rate.value())
    }
}

/// The grid's row colour (DOMAIN 4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowColour {
    /// Paid units equal planned.
    Grey,
    /// More than planned.
    Green,
    /// Fewer than planned.
    Red,
}

impl RowColour {
    pub fn of(paid_units: Decimal, planned: Decimal) -> RowColour {
        match paid_units.cmp(&planned) {
            std::cmp::Ordering::Equal => RowColour::Grey,
            std::cmp::Ordering::Greater => RowColour::Green,
            std::cmp::Ordering::Less => RowColour::Red,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionKind {
    DoesNotAddUp,
    PlanExceeded,
    UnplannedActual,
    AllocationExceeded,
    CommentMissing,
}

impl ExceptionKind {
    pub const ALL: [ExceptionKind; 5] = [
        ExceptionKind::DoesNotAddUp,
        ExceptionKind::PlanExceeded,
        ExceptionKind::UnplannedActual,
        ExceptionKind::AllocationExceeded,
        ExceptionKind::CommentMissing,
    ];

    /// The type's name as the guides and reports print it.
    pub fn title(self) -> &'static str {
        match self {
            ExceptionKind::DoesNotAddUp => "Actual does not add up",
            ExceptionKind::PlanExceeded => "Plan exceeded for week",
            ExceptionKind::UnplannedActual => "Unplanned actual",
            ExceptionKind::AllocationExceeded => "Allocation exceeded",
            ExceptionKind::CommentMissing => "Comment missing",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ExceptionKind::DoesNotAddUp => "does_not_add_up",
            ExceptionKind::PlanExceeded => "plan_exceeded",
            ExceptionKind::UnplannedActual => "unplanned_actual",
            ExceptionKind::AllocationExceeded => "allocation_exceeded",
            ExceptionKind::CommentMissing => "comment_missing",
        }
    }

    pub fn from_code(code: &str) -> Option<ExceptionKind> {
        ExceptionKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

/// What an exception does to the client's payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentEffect {
    Pay,
    /// Holds the whole payment for the client in the contract's period until the LA decides.
    Suspend,
}

impl PaymentEffect {
    pub fn code(self) -> &'static str {
        match self {
            PaymentEffect::Pay => "pay",
            PaymentEffect::Suspend => "suspend",
        }
    }

    pub fn from_code(code: &str) -> Option<PaymentEffect> {
        match code {
            "pay" => Some(PaymentEffect::Pay),
            "suspend" => Some(PaymentEffect::Suspend),
            _ => None,
        }
    }
}

/// A contract's setting for one exception type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionRule {
    pub enabled: bool,
    /// Percent over plan allowed before "Plan exceeded" is raised; unused by other types.
    pub threshold_percent: Decimal,
    pub effect: PaymentEffect,
}

impl ExceptionRule {
    const fn on(effect: PaymentEffect) -> ExceptionRule {
        ExceptionRule {
            enabled: true,
            threshold_percent: Decimal::ZERO,
            effect,
        }
    }
}

/// A contract's exception settings, one rule per type (DOMAIN 4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionSettings {
    pub does_not_add_up: ExceptionRule,
    pub plan_exceeded: ExceptionRule,
    pub unplanned_actual: ExceptionRule,
    pub allocation_exceeded: ExceptionRule,
    pub comment_missing: ExceptionRule,
}

impl Default for ExceptionSettings {
    /// The defaults of DOMAIN 4.6: every type on, Plan exceeded at 0%.
    fn default() -> Self {
        ExceptionSettings {
            does_not_add_up: ExceptionRule::on(PaymentEffect::Pay),
            plan_exceeded: ExceptionRule::on(PaymentEffect::Suspend),
            unplanned_actual: ExceptionRule::on(PaymentEffect::Suspend),
            allocation_exceeded: ExceptionRule::on(PaymentEffect::Suspend),
            comment_missing: ExceptionRule::on(PaymentEffect::Pay),
        }
    }
}

impl ExceptionSettings {
    pub fn rule(&self, kind: ExceptionKind) -> ExceptionRule {
        match kind {
            ExceptionKind::DoesNotAddUp => self.does_not_add_up,
            ExceptionKind::PlanExceeded => self.plan_exceeded,
            ExceptionKind::UnplannedActual => self.unplanned_actual,
            ExceptionKind::AllocationExceeded => self.allocation_exceeded,
            ExceptionKind::CommentMissing => self.comment_missing,
        }
    }

    pub fn rule_mut(&mut self, kind: ExceptionKind) -> &mut ExceptionRule {
        match kind {
            ExceptionKind::DoesNotAddUp => &mut self.does_not_add_up,
            ExceptionKind::PlanExceeded => &mut self.plan_exceeded,
            ExceptionKind::UnplannedActual => &mut self.unplanned_actual,
            ExceptionKind::AllocationExceeded => &mut self.allocation_exceeded,
            ExceptionKind::CommentMissing => &mut self.comment_missing,
        }
    }
}

/// Where the line's units come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Against a CPLI's weekly plan.
    Planned,
    /// Added for a service level with no CPLI for the client that week (Planned 0).
    Unplanned,
    /// Against an intermittent CPLI's annual allocation; `used_elsewhere` counts the paid
    /// units of the same CPLI's other weeks in the financial year.
    Intermittent {
        annual_allocation: Quantity,
        used_elsewhere: Decimal,
    },
}

/// What the assessment needs besides the figures.
#[derive(Debug, Clone, Copy)]
pub struct LineContext<'a> {
    /// The line as the guides name it: "Mr Eric Bristow (96836000), 06/06/2022, Ally Pally
    /// Home Care - Homecare Flexible - Bradford - Double-handed".
    pub subject: &'a str,
    pub unit: Unit,
    pub rate: Money,
    pub kind: LineKind,
    pub settings: &'a ExceptionSettings,
}

/// One raised exception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineException {
    pub kind: ExceptionKind,
    pub message: String,
    pub effect: PaymentEffect,
    /// The measured value where the type has one (percent over plan, units over allocation).
    pub value: Option<Decimal>,
    pub threshold_percent: Option<Decimal>,
}

impl LineException {
    /// "0%": the contract's threshold, where the type has one.
    pub fn threshold_label(&self) -> Option<String> {
        self.threshold_percent
            .map(|threshold| format!("{}%", format_number(threshold)))
    }

    /// "25%" over plan where the type has a threshold, else the units measured (over an
    /// allocation, say).
    pub fn value_label(&self) -> Option<String> {
        self.value.map(|value| match self.threshold_percent {
            Some(_) => format!("{}%", format_number(value)),
            None => format_number(value),
        })
    }
}

/// Everything the grid shows about a line, computed from its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAssessment {
    pub expected_actual: Decimal,
    pub paid_units: Decimal,
    pub cost: Decimal,
    /// "£80.00 = 4 (Actual + Frstd) Hours x £20.00".
    pub explanation: String,
    pub colour: RowColour,
    pub exceptions: Vec<LineException>,
}

impl LineAssessment {
    /// True when any raised exception suspends the client's payment.
    pub fn suspends_payment(&self) -> bool {
        self.exceptions
            .iter()
            .any(|exception| exception.effect == PaymentEffect::Suspend)
    }
}

/// Computes a line's cost, explanation, colour and exceptions.
pub fn assess(figures: &ActualFigures, context: &LineContext<'_>) -> LineAssessment {
    let paid_units = figures.paid_units();
    let cost = figures.cost(context.rate);
    let explanation = format!(
        "{} = {} (Actual + Frstd) {} x {}",
        format_money(cost),
        format_number(paid_units),
        context.unit.for_count(paid_units),
        format_money(context.rate.value())
    );
    LineAssessment {
        expected_actual: figures.expected_actual(),
        paid_units,
        cost,
        explanation,
        colour: RowColour::of(paid_units, figures.planned.value()),
        exceptions: raise_exceptions(figures, context),
    }
}

fn raise_exceptions(figures: &ActualFigures, context: &LineContext<'_>) -> Vec<LineException> {
    let settings = context.settings;
    let subject = context.subject;
    let mut raised = Vec::new();
    let mut raise = |kind: ExceptionKind,
                     message: String,
                     value: Option<Decimal>,
                     threshold: Option<Decimal>| {
        let rule = settings.rule(kind);
        if rule.enabled {
            raised.push(LineException {
                kind,
                message,
                effect: rule.effect,
                value,
                threshold_percent: threshold,
            });
        }
    };

    if !figures.adds_up() {
        raise(
            ExceptionKind::DoesNotAddUp,
            format!(
                "The Actual ({subject}) value: {} does not equal the result Actual ({}) of planned - frustrated - missed + extra.",
                format_number(figures.actual.value()),
                format_number(figures.expected_actual()),
            ),
            None,
            None,
        );
    }

    match context.kind {
        LineKind::Planned => {
            let planned = figures.planned.value();
            let actual = figures.actual.value();
            let threshold = settings.plan_exceeded.threshold_percent;
            if planned.is_zero() {
                if !actual.is_zero() {
                    raise(
                        ExceptionKind::PlanExceeded,
                        format!(
                            "The Actual ({subject}) exceeds the planned service level Actual of 0."
                        ),
                        None,
                        Some(threshold),
                    );
                }
            } else {
                let percent = crate::amount::round_to_penny(
                    (actual - planned) / planned * Decimal::ONE_HUNDRED,
                );
                if percent > threshold {
                    raise(
                        ExceptionKind::PlanExceeded,
                        format!(
                            "The Actual ({subject}) exceeds the planned service level Actual by {}%.",
                            format_number(percent)
                        ),
                        Some(percent),
                        Some(threshold),
                    );
                }
            }
        }
        LineKind::Unplanned => {
            if !figures.actual.is_zero() {
                raise(
                    ExceptionKind::UnplannedActual,
                    format!(
                        "The Actual ({subject}) is unplanned: the client has no care package line item for this service level this week."
                    ),
                    Some(figures.actual.value()),
                    None,
                );
            }
        }
        LineKind::Intermittent {
            annual_allocation,
            used_elsewhere,
        } => {
            let year_total = used_elsewhere + figures.paid_units();
            if year_total > annual_allocation.value() {
                raise(
                    ExceptionKind::AllocationExceeded,
                    format!(
                        "The Actual ({subject}) takes the year's total to {} {}, over the annual allocation of {}.",
                        format_number(year_total),
                        context.unit.for_count(year_total),
                        format_number(annual_allocation.value()),
                    ),
                    Some(year_total),
                    None,
                );
            }
        }
    }

    if figures.differs_from_plan() && figures.comment.trim().is_empty() {
        raise(
            ExceptionKind::CommentMissing,
            format!("The Actual ({subject}) differs from the plan but has no comment to say why."),
            None,
            None,
        );
    }
    raised
}

pub mod rules;
pub mod sessions;

#[cfg(test)]
mod tests;
