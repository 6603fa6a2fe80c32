//! An actual line while it is being typed: the raw text of each input, and what the domain
//! rules make of it. The browser runs the same `portal_domain::actual::assess` as the
//! server, so the cost, colour and exceptions shown before saving are the ones that will be
//! stored.

use std::str::FromStr;

use portal_domain::actual::{assess, LineAssessment};
use portal_domain::{
    ActualFigures, ExceptionKind, ExceptionSettings, LineContext, LineKind, Money, PaymentEffect,
    Quantity, RowColour, Unit,
};
use portal_dto::{ActualLine, ActualLineInput, ExceptionRuleSetting, LineExceptionView};
use rust_decimal::Decimal;

/// The editable columns, in the grid's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Actual,
    Frustrated,
    Missed,
    Extra,
    Visits,
    Comment,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Actual,
        Field::Frustrated,
        Field::Missed,
        Field::Extra,
        Field::Visits,
        Field::Comment,
    ];

    /// The JSON member the API names the field by in `lines[0].actual`.
    pub fn api_name(self) -> &'static str {
        match self {
            Field::Actual => "actual",
            Field::Frustrated => "frustrated",
            Field::Missed => "missed",
            Field::Extra => "extra",
            Field::Visits => "visits",
            Field::Comment => "comment",
        }
    }

    /// How the field's label starts: "Actual for Homecare Flexible - Bradford - Single-handed".
    pub fn label(self) -> &'static str {
        match self {
            Field::Actual => "Actual",
            Field::Frustrated => "Frustrated",
            Field::Missed => "Missed",
            Field::Extra => "Extra",
            Field::Visits => "Visits",
            Field::Comment => "Comment",
        }
    }

    fn from_api_name(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|field| field.api_name() == name)
    }
}

/// The text in each input of one line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineDraft {
    pub actual: String,
    pub frustrated: String,
    pub missed: String,
    pub extra: String,
    pub visits: String,
    pub comment: String,
}

impl LineDraft {
    /// The line's saved figures (or, for a line not yet entered, the plan the server offers).
    pub fn from_line(line: &ActualLine) -> LineDraft {
        let plain = |value: &str| crate::format::quantity_text(value);
        LineDraft {
            actual: plain(&line.actual),
            frustrated: plain(&line.frustrated),
            missed: plain(&line.missed),
            extra: plain(&line.extra),
            visits: line.visits.as_deref().map(plain).unwrap_or_default(),
            comment: line.comment.clone(),
        }
    }

    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Actual => &self.actual,
            Field::Frustrated => &self.frustrated,
            Field::Missed => &self.missed,
            Field::Extra => &self.extra,
            Field::Visits => &self.visits,
            Field::Comment => &self.comment,
        }
    }

    pub fn set(&mut self, field: Field, text: String) {
        match field {
            Field::Actual => self.actual = text,
            Field::Frustrated => self.frustrated = text,
            Field::Missed => self.missed = text,
            Field::Extra => self.extra = text,
            Field::Visits => self.visits = text,
            Field::Comment => self.comment = text,
        }
    }

    /// What Save sends for this line.
    pub fn to_input(&self, cpli_id: &str) -> ActualLineInput {
        let visits = self.visits.trim();
        ActualLineInput {
            cpli_id: cpli_id.to_owned(),
            actual: self.actual.trim().to_owned(),
            frustrated: self.frustrated.trim().to_owned(),
            missed: self.missed.trim().to_owned(),
            extra: self.extra.trim().to_owned(),
            visits: (!visits.is_empty()).then(|| visits.to_owned()),
            comment: self.comment.clone(),
        }
    }
}

/// One field's complaint, shown next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: Field,
    pub message: String,
}

/// What the grid shows for a draft line: either its assessment, or why it cannot have one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftOutcome {
    pub problems: Vec<FieldProblem>,
    pub assessment: Option<LineAssessment>,
}

impl DraftOutcome {
    pub fn problem(&self, field: Field) -> Option<&str> {
        self.problems
            .iter()
            .find(|problem| problem.field == field)
            .map(|problem| problem.message.as_str())
    }

    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Parses the draft and assesses it against the line's plan, rate and the contract settings.
pub fn assess_draft(
    line: &ActualLine,
    draft: &LineDraft,
    settings: &ExceptionSettings,
) -> DraftOutcome {
    let mut problems = Vec::new();
    let mut quantity = |field: Field| match Quantity::parse(draft.get(field)) {
        Ok(value) => Some(value),
        Err(error) => {
            problems.push(FieldProblem {
                field,
                message: format!("{} {error}", field.label()),
            });
            None
        }
    };
    let actual = quantity(Field::Actual);
    let frustrated = quantity(Field::Frustrated);
    let missed = quantity(Field::Missed);
    let extra = quantity(Field::Extra);
    let visits = if draft.visits.trim().is_empty() {
        Some(None)
    } else {
        quantity(Field::Visits).map(Some)
    };

    let assessment = match (
        actual,
        frustrated,
        missed,
        extra,
        visits,
        Quantity::parse(&line.planned),
        Money::parse(&line.rate),
    ) {
        (
            Some(actual),
            Some(frustrated),
            Some(missed),
            Some(extra),
            Some(visits),
            Ok(planned),
            Ok(rate),
        ) => {
            let figures = ActualFigures {
                planned,
                actual,
                frustrated,
                missed,
                extra,
                visits,
                comment: draft.comment.clone(),
            };
            let context = LineContext {
                subject: &line.subject,
                unit: Unit::from_code(&line.service_level.unit).unwrap_or(Unit::Hour),
                rate,
                kind: LineKind::Planned,
                settings,
            };
            Some(assess(&figures, &context))
        }
        _ => None,
    };
    DraftOutcome {
        problems,
        assessment,
    }
}

/// The contract's settings as the server sent them; a type it does not mention keeps the
/// default of DOMAIN 4.6, so the browser never shows fewer exceptions than the server raises.
pub fn exception_settings(rules: &[ExceptionRuleSetting]) -> ExceptionSettings {
    let mut settings = ExceptionSettings::default();
    for rule in rules {
        let Some(kind) = ExceptionKind::from_code(&rule.kind) else {
            continue;
        };
        let target = settings.rule_mut(kind);
        target.enabled = rule.enabled;
        if let Ok(threshold) = Decimal::from_str(rule.threshold_percent.trim()) {
            target.threshold_percent = threshold;
        }
        if let Some(effect) = PaymentEffect::from_code(&rule.effect) {
            target.effect = effect;
        }
    }
    settings
}

/// The raised exceptions in the API's shape, so saved and live lines render alike.
pub fn exception_views(assessment: &LineAssessment) -> Vec<LineExceptionView> {
    assessment
        .exceptions
        .iter()
        .map(|exception| LineExceptionView {
            kind: exception.kind.code().to_owned(),
            title: exception.kind.title().to_owned(),
            message: exception.message.clone(),
            effect: exception.effect.code().to_owned(),
        })
        .collect()
}

pub fn colour_code(colour: RowColour) -> &'static str {
    match colour {
        RowColour::Grey => "grey",
        RowColour::Green => "green",
        RowColour::Red => "red",
    }
}

/// The words that carry the row colour's meaning, so colour is never the only signal.
pub fn colour_meaning(colour: &str) -> &'static str {
    match colour {
        "green" => "More than planned",
        "red" => "Fewer than planned",
        _ => "As planned",
    }
}

/// A 422's field errors for one client's lines: `lines[2].missed` -> line 2, Missed. Errors
/// that name no line field are returned with `None` for the summary alone.
pub fn locate_field_error(path: &str) -> Option<(usize, Field)> {
    let rest = path.strip_prefix("lines[")?;
    let (index, rest) = rest.split_once(']')?;
    let index = index.parse().ok()?;
    let name = rest.strip_prefix('.')?;
    Some((index, Field::from_api_name(name)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::ServiceLevelRef;

    fn double_handed_line() -> ActualLine {
        ActualLine {
            cpli_id: "7".to_owned(),
            service_level: ServiceLevelRef {
                id: "2".to_owned(),
                name: "Homecare Flexible - Bradford - Double-handed".to_owned(),
                unit: "hour".to_owned(),
                pricing_kind: "per_unit".to_owned(),
            },
            recorded: true,
            subject: "Mr Eric Bristow (96836000), 06/06/2022, Ally Pally Home Care - Homecare Flexible - Bradford - Double-handed".to_owned(),
            rate: "40.00".to_owned(),
            planned: "1.00".to_owned(),
            actual: "1.00".to_owned(),
            frustrated: "0.00".to_owned(),
            missed: "0.00".to_owned(),
            extra: "0.00".to_owned(),
            visits: Some("1".to_owned()),
            comment: String::new(),
            expected_actual: "1.00".to_owned(),
            paid_units: "1.00".to_owned(),
            cost: "40.00".to_owned(),
            explanation: "£40.00 = 1 (Actual + Frstd) Hour x £40.00".to_owned(),
            colour: "grey".to_owned(),
            exceptions: Vec::new(),
        }
    }

    fn typed(actual: &str, missed: &str, comment: &str) -> LineDraft {
        LineDraft {
            actual: actual.to_owned(),
            frustrated: "0".to_owned(),
            missed: missed.to_owned(),
            extra: "0".to_owned(),
            visits: "1".to_owned(),
            comment: comment.to_owned(),
        }
    }

    #[test]
    fn a_saved_line_opens_as_people_write_numbers() {
        let draft = LineDraft::from_line(&double_handed_line());
        assert_eq!(draft.actual, "1");
        assert_eq!(draft.missed, "0");
        assert_eq!(draft.visits, "1");
    }

    #[test]
    fn e5_warns_that_the_actual_does_not_add_up_before_saving() {
        let outcome = assess_draft(
            &double_handed_line(),
            &typed("1", "1", ""),
            &ExceptionSettings::default(),
        );
        let assessment = outcome.assessment.expect("valid figures are assessed");
        assert_eq!(
            assessment.explanation,
            "£40.00 = 1 (Actual + Frstd) Hour x £40.00"
        );
        let views = exception_views(&assessment);
        assert!(views
            .iter()
            .any(|view| view.title == "Actual does not add up"
                && view
                    .message
                    .contains("does not equal the result Actual (0)")));
    }

    #[test]
    fn e6_costs_nothing_and_raises_nothing_once_commented() {
        let outcome = assess_draft(
            &double_handed_line(),
            &typed("0", "1", "Call cancelled this week"),
            &ExceptionSettings::default(),
        );
        let assessment = outcome.assessment.expect("valid figures are assessed");
        assert_eq!(
            assessment.explanation,
            "£0.00 = 0 (Actual + Frstd) Hours x £40.00"
        );
        assert_eq!(colour_code(assessment.colour), "red");
        assert!(assessment.exceptions.is_empty());
    }

    #[test]
    fn an_unparsable_field_is_named_and_blocks_the_assessment() {
        let outcome = assess_draft(
            &double_handed_line(),
            &typed("one", "-1", ""),
            &ExceptionSettings::default(),
        );
        assert!(!outcome.is_valid());
        assert_eq!(
            outcome.problem(Field::Actual),
            Some("Actual must be a number, like 5 or 5.5")
        );
        assert_eq!(
            outcome.problem(Field::Missed),
            Some("Missed must not be negative")
        );
        assert_eq!(outcome.assessment, None);
    }

    #[test]
    fn blank_visits_are_allowed_and_sent_as_absent() {
        let mut draft = typed("1", "0", "");
        draft.visits = " ".to_owned();
        let outcome = assess_draft(&double_handed_line(), &draft, &ExceptionSettings::default());
        assert!(outcome.is_valid());
        assert_eq!(draft.to_input("7").visits, None);
    }

    #[test]
    fn server_settings_switch_rules_off_and_keep_unknown_ones_at_default() {
        let settings = exception_settings(&[ExceptionRuleSetting {
            kind: "does_not_add_up".to_owned(),
            enabled: false,
            threshold_percent: "0".to_owned(),
            effect: "pay".to_owned(),
        }]);
        assert!(!settings.does_not_add_up.enabled);
        assert!(settings.plan_exceeded.enabled);
        let outcome = assess_draft(&double_handed_line(), &typed("1", "1", "x"), &settings);
        assert!(outcome.assessment.unwrap().exceptions.is_empty());
    }

    #[test]
    fn server_field_paths_point_at_inputs() {
        assert_eq!(
            locate_field_error("lines[0].actual"),
            Some((0, Field::Actual))
        );
        assert_eq!(
            locate_field_error("lines[12].comment"),
            Some((12, Field::Comment))
        );
        assert_eq!(locate_field_error("version"), None);
        assert_eq!(locate_field_error("lines[x].actual"), None);
    }
}
