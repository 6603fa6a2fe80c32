//! DOMAIN.md's worked examples E1-E11, to the penny, and the properties behind them.

use super::*;
use proptest::prelude::*;
use rust_decimal_macros::dec;

const ERIC_DOUBLE: &str = "Mr Eric Bristow (96836000), 06/06/2022, Ally Pally Home Care - Homecare Flexible - Bradford - Double-handed";

fn q(text: &str) -> Quantity {
    Quantity::parse(text).unwrap()
}

fn figures(
    planned: &str,
    actual: &str,
    frstd: &str,
    msd: &str,
    xtr: &str,
    comment: &str,
) -> ActualFigures {
    ActualFigures {
        planned: q(planned),
        actual: q(actual),
        frustrated: q(frstd),
        missed: q(msd),
        extra: q(xtr),
        visits: Some(q(planned)),
        comment: comment.to_owned(),
    }
}

fn assess_planned(line: &ActualFigures, rate: &str) -> LineAssessment {
    let settings = ExceptionSettings::default();
    assess(
        line,
        &LineContext {
            subject: ERIC_DOUBLE,
            unit: Unit::Hour,
            rate: Money::parse(rate).unwrap(),
            kind: LineKind::Planned,
            settings: &settings,
        },
    )
}

fn kinds(assessment: &LineAssessment) -> Vec<(ExceptionKind, PaymentEffect)> {
    assessment
        .exceptions
        .iter()
        .map(|exception| (exception.kind, exception.effect))
        .collect()
}

/// One row of DOMAIN 16's table: the figures, the rate, the cost and the exceptions.
struct Example {
    name: &'static str,
    planned: &'static str,
    actual: &'static str,
    frstd: &'static str,
    msd: &'static str,
    xtr: &'static str,
    rate: &'static str,
    cost: Decimal,
    exceptions: &'static [(ExceptionKind, PaymentEffect)],
}

const PAY_DOES_NOT_ADD_UP: (ExceptionKind, PaymentEffect) =
    (ExceptionKind::DoesNotAddUp, PaymentEffect::Pay);
const SUSPEND_PLAN_EXCEEDED: (ExceptionKind, PaymentEffect) =
    (ExceptionKind::PlanExceeded, PaymentEffect::Suspend);

fn examples() -> Vec<Example> {
    vec![
        Example {
            name: "E1",
            planned: "5",
            actual: "4",
            frstd: "0",
            msd: "1",
            xtr: "0",
            rate: "20.00",
            cost: dec!(80.00),
            exceptions: &[],
        },
        Example {
            name: "E2",
            planned: "5",
            actual: "5.5",
            frstd: "0",
            msd: "0",
            xtr: "0.5",
            rate: "20.00",
            cost: dec!(110.00),
            exceptions: &[SUSPEND_PLAN_EXCEEDED],
        },
        Example {
            name: "E3",
            planned: "14",
            actual: "10",
            frstd: "4",
            msd: "0",
            xtr: "0",
            rate: "40.00",
            cost: dec!(560.00),
            exceptions: &[],
        },
        Example {
            name: "E4",
            planned: "5",
            actual: "5",
            frstd: "0",
            msd: "0.5",
            xtr: "0",
            rate: "20.00",
            cost: dec!(100.00),
            exceptions: &[PAY_DOES_NOT_ADD_UP],
        },
        Example {
            name: "E5",
            planned: "1",
            actual: "1",
            frstd: "0",
            msd: "1",
            xtr: "0",
            rate: "40.00",
            cost: dec!(40.00),
            exceptions: &[PAY_DOES_NOT_ADD_UP],
        },
        Example {
            name: "E6",
            planned: "1",
            actual: "0",
            frstd: "0",
            msd: "1",
            xtr: "0",
            rate: "40.00",
            cost: dec!(0.00),
            exceptions: &[],
        },
        Example {
            name: "E7",
            planned: "1",
            actual: "3",
            frstd: "0",
            msd: "0",
            xtr: "2",
            rate: "20.00",
            cost: dec!(60.00),
            exceptions: &[SUSPEND_PLAN_EXCEEDED],
        },
        Example {
            name: "E8",
            planned: "14",
            actual: "14",
            frstd: "0",
            msd: "1",
            xtr: "0",
            rate: "16.16",
            cost: dec!(226.24),
            exceptions: &[PAY_DOES_NOT_ADD_UP],
        },
        Example {
            name: "E9",
            planned: "14",
            actual: "13",
            frstd: "0",
            msd: "1",
            xtr: "0",
            rate: "16.16",
            cost: dec!(210.08),
            exceptions: &[],
        },
        Example {
            name: "E10",
            planned: "35",
            actual: "33",
            frstd: "0",
            msd: "2",
            xtr: "0",
            rate: "17.84",
            cost: dec!(588.72),
            exceptions: &[],
        },
        Example {
            name: "E11",
            planned: "14",
            actual: "16",
            frstd: "0",
            msd: "0",
            xtr: "2",
            rate: "40.00",
            cost: dec!(640.00),
            exceptions: &[SUSPEND_PLAN_EXCEEDED],
        },
    ]
}

#[test]
fn worked_examples_e1_to_e11_cost_and_exceptions() {
    for example in examples() {
        // The guides' lines carry comments wherever they differ from the plan.
        let line = figures(
            example.planned,
            example.actual,
            example.frstd,
            example.msd,
            example.xtr,
            "As discussed with the social worker",
        );
        let assessment = assess_planned(&line, example.rate);
        assert_eq!(assessment.cost, example.cost, "{} cost", example.name);
        assert_eq!(
            kinds(&assessment),
            example.exceptions.to_vec(),
            "{} exceptions",
            example.name
        );
    }
}

#[test]
fn e1_explains_its_cost_as_the_grid_does() {
    let assessment = assess_planned(&figures("5", "4", "0", "1", "0", "Missed call"), "20");
    assert_eq!(
        assessment.explanation,
        "£80.00 = 4 (Actual + Frstd) Hours x £20.00"
    );
    assert_eq!(assessment.colour, RowColour::Red);
}

#[test]
fn e5_says_the_actual_does_not_add_up_in_the_guides_words() {
    let assessment = assess_planned(
        &figures("1", "1", "0", "1", "0", "Call cancelled this week"),
        "40",
    );
    assert_eq!(assessment.expected_actual, dec!(0));
    assert_eq!(
        assessment.exceptions[0].message,
        "The Actual (Mr Eric Bristow (96836000), 06/06/2022, Ally Pally Home Care - Homecare Flexible - Bradford - Double-handed) value: 1 does not equal the result Actual (0) of planned - frustrated - missed + extra."
    );
    assert_eq!(
        assessment.explanation,
        "£40.00 = 1 (Actual + Frstd) Hour x £40.00"
    );
    assert_eq!(assessment.colour, RowColour::Grey);
    assert!(!assessment.suspends_payment());
}

#[test]
fn e6_corrected_costs_nothing_and_is_red() {
    let assessment = assess_planned(
        &figures("1", "0", "0", "1", "0", "Call cancelled this week"),
        "40",
    );
    assert_eq!(assessment.cost, dec!(0.00));
    assert_eq!(
        assessment.explanation,
        "£0.00 = 0 (Actual + Frstd) Hours x £40.00"
    );
    assert_eq!(assessment.colour, RowColour::Red);
    assert!(assessment.exceptions.is_empty());
}

#[test]
fn e4_names_the_expected_actual() {
    let assessment = assess_planned(&figures("5", "5", "0", "0.5", "0", "Attempted call"), "20");
    assert_eq!(assessment.expected_actual, dec!(4.5));
    assert!(assessment.exceptions[0]
        .message
        .contains("value: 5 does not equal the result Actual (4.5)"));
}

#[test]
fn plan_exceeded_reports_the_percentage_over_plan() {
    let e7 = assess_planned(
        &figures("1", "3", "0", "0", "2", "Extra calls req by SW"),
        "20",
    );
    assert!(e7.exceptions[0]
        .message
        .ends_with("exceeds the planned service level Actual by 200%."));
    assert!(e7.suspends_payment());
    assert_eq!(e7.colour, RowColour::Green);
    let e2 = assess_planned(&figures("5", "5.5", "0", "0", "0.5", "Extra"), "20");
    assert_eq!(e2.exceptions[0].value, Some(dec!(10.00)));
    let e11 = assess_planned(
        &figures("14", "16", "0", "0", "2", "Service increased"),
        "40",
    );
    assert!(e11.exceptions[0].message.ends_with("by 14.29%."));
}

#[test]
fn plan_exceeded_respects_the_contracts_threshold_and_effect() {
    let line = figures("14", "16", "0", "0", "2", "Service increased");
    let assess_with = |settings: &ExceptionSettings| {
        kinds(&assess(
            &line,
            &LineContext {
                subject: ERIC_DOUBLE,
                unit: Unit::Hour,
                rate: Money::parse("40").unwrap(),
                kind: LineKind::Planned,
                settings,
            },
        ))
    };
    let mut settings = ExceptionSettings::default();
    settings.plan_exceeded.threshold_percent = dec!(15);
    assert!(assess_with(&settings).is_empty());
    settings.plan_exceeded.threshold_percent = dec!(10);
    settings.plan_exceeded.effect = PaymentEffect::Pay;
    assert_eq!(
        assess_with(&settings),
        vec![(ExceptionKind::PlanExceeded, PaymentEffect::Pay)]
    );
    settings.plan_exceeded.enabled = false;
    assert!(assess_with(&settings).is_empty());
}

#[test]
fn a_line_that_differs_without_a_comment_is_flagged() {
    let assessment = assess_planned(&figures("1", "0", "0", "1", "0", "  "), "40");
    assert_eq!(
        kinds(&assessment),
        vec![(ExceptionKind::CommentMissing, PaymentEffect::Pay)]
    );
}

#[test]
fn unplanned_lines_with_units_are_suspended() {
    let settings = ExceptionSettings::default();
    let line = figures("0", "2", "0", "0", "2", "Emergency call");
    let assessment = assess(
        &line,
        &LineContext {
            subject: ERIC_DOUBLE,
            unit: Unit::Hour,
            rate: Money::parse("20").unwrap(),
            kind: LineKind::Unplanned,
            settings: &settings,
        },
    );
    assert_eq!(
        kinds(&assessment),
        vec![(ExceptionKind::UnplannedActual, PaymentEffect::Suspend)]
    );
}

#[test]
fn intermittent_lines_may_not_pass_the_annual_allocation() {
    let settings = ExceptionSettings::default();
    let context = |used: Decimal| LineContext {
        subject: ERIC_DOUBLE,
        unit: Unit::Night,
        rate: Money::parse("95").unwrap(),
        kind: LineKind::Intermittent {
            annual_allocation: q("28"),
            used_elsewhere: used,
        },
        settings: &settings,
    };
    let line = figures("3", "3", "0", "0", "0", "");
    assert!(assess(&line, &context(dec!(25))).exceptions.is_empty());
    let over = assess(&line, &context(dec!(26)));
    assert_eq!(
        kinds(&over),
        vec![(ExceptionKind::AllocationExceeded, PaymentEffect::Suspend)]
    );
    assert!(over.exceptions[0]
        .message
        .contains("29 Nights, over the annual allocation of 28"));
}

fn quantity_strategy() -> impl Strategy<Value = Quantity> {
    (0i64..=50_000).prop_map(|hundredths| Quantity::from_hundredths(hundredths).unwrap())
}

fn rate_strategy() -> impl Strategy<Value = Money> {
    (1i64..=100_000).prop_map(|pence| Money::from_hundredths(pence).unwrap())
}

proptest! {
    #[test]
    fn a_line_generated_from_plan_never_raises_an_exception(planned in quantity_strategy(), rate in rate_strategy()) {
        let line = ActualFigures::as_planned(planned, Some(planned));
        let assessment = assess_planned(&line, &rate.to_string());
        prop_assert!(assessment.exceptions.is_empty());
        prop_assert_eq!(assessment.colour, RowColour::Grey);
    }

    #[test]
    fn cost_is_paid_units_times_rate_to_the_penny(
        actual in quantity_strategy(),
        frustrated in quantity_strategy(),
        rate in rate_strategy(),
    ) {
        let line = ActualFigures { frustrated, actual, ..ActualFigures::as_planned(Quantity::zero(), None) };
        let cost = line.cost(rate);
        let exact = (actual.value() + frustrated.value()) * rate.value();
        prop_assert!((cost - exact).abs() <= dec!(0.005));
        prop_assert_eq!(cost.scale(), 2);
        // An exact half penny rounds away from zero, so up for these positive amounts.
        if (cost - exact).abs() == dec!(0.005) {
            prop_assert!(cost > exact);
        }
    }

    #[test]
    fn a_line_that_adds_up_never_says_it_does_not(
        planned in quantity_strategy(),
        frustrated in quantity_strategy(),
        missed in quantity_strategy(),
        extra in quantity_strategy(),
    ) {
        let expected = planned.value() - frustrated.value() - missed.value() + extra.value();
        prop_assume!(expected >= Decimal::ZERO);
        let actual = Quantity::from_decimal(expected).unwrap();
        let line = ActualFigures { planned, actual, frustrated, missed, extra, visits: None, comment: "why".into() };
        let assessment = assess_planned(&line, "20");
        prop_assert!(assessment.exceptions.iter().all(|e| e.kind != ExceptionKind::DoesNotAddUp));
    }

    #[test]
    fn colour_follows_paid_units_against_plan(planned in quantity_strategy(), actual in quantity_strategy()) {
        let line = ActualFigures { actual, ..ActualFigures::as_planned(planned, None) };
        let colour = assess_planned(&line, "20").colour;
        let expected = match actual.cmp(&planned) {
            std::cmp::Ordering::Equal => RowColour::Grey,
            std::cmp::Ordering::Greater => RowColour::Green,
            std::cmp::Ordering::Less => RowColour::Red,
        };
        prop_assert_eq!(colour, expected);
    }
}
