//! An actual line while it is being typed: the raw text of each input, and what the domain
//! rules make of it. The browser runs the same `portal_domain::actual::assess` as the
//! server, so the cost, colour and exceptions shown before saving are the ones that will be
//! stored.

use std::str::FromStr;

use portal_domain::actual::rules::{breaches, ContractRules, RuleField};
use portal_domain::actual::sessions::{figures_from_rows, intermittent_figures, SessionRow};
use portal_domain::actual::{assess, LineAssessment};
use portal_domain::cpli::{Timetable, TimetableRow};
use portal_domain::{
    ActualFigures, ExceptionKind, ExceptionSettings, LineContext, LineKind, Money, PaymentEffect,
    Quantity, RowColour, Unit, Weekdays,
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

/// One session row of a timetabled line as it is being edited (DOMAIN 4.4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionDraft {
    /// Monday first.
    pub days: [bool; 7],
    pub quantity: String,
    pub frustrated: bool,
    pub comment: String,
}

impl SessionDraft {
    fn from_row(row: &portal_dto::SessionRow) -> SessionDraft {
        SessionDraft {
            days: Weekdays::from_codes(&row.days).unwrap_or_default().0,
            quantity: crate::format::quantity_text(&row.quantity),
            frustrated: row.frustrated,
            comment: row.comment.clone(),
        }
    }

    /// A new row: one session, no day ticked yet.
    pub fn blank() -> SessionDraft {
        SessionDraft {
            quantity: "1".to_owned(),
            ..SessionDraft::default()
        }
    }

    fn to_row(&self) -> portal_dto::SessionRow {
        portal_dto::SessionRow {
            days: Weekdays(self.days).codes(),
            quantity: self.quantity.trim().to_owned(),
            frustrated: self.frustrated,
            comment: self.comment.clone(),
        }
    }
}

/// The text in each input of one line, and a timetabled line's rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineDraft {
    pub actual: String,
    pub frustrated: String,
    pub missed: String,
    pub extra: String,
    pub visits: String,
    pub comment: String,
    /// Empty unless the line is timetabled.
    pub sessions: Vec<SessionDraft>,
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
            sessions: line
                .timetable
                .as_ref()
                .map(|timetable| {
                    // A line recorded as plain figures (from a file) opens at the plan.
                    line.sessions
                        .as_ref()
                        .unwrap_or(&timetable.planned_rows)
                        .iter()
                        .map(SessionDraft::from_row)
                        .collect()
                })
                .unwrap_or_default(),
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

    /// What Save sends for this line; a timetabled line sends its rows.
    pub fn to_input(&self, line: &ActualLine) -> ActualLineInput {
        let visits = self.visits.trim();
        let cpli_id = &line.cpli_id;
        ActualLineInput {
            // An unplanned line has no CPLI: its service level names it.
            service_level_id: line.unplanned.then(|| line.service_level.id.clone()),
            sessions: line
                .timetable
                .as_ref()
                .map(|_| self.sessions.iter().map(SessionDraft::to_row).collect()),
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
    /// A timetabled line's bad session quantities: (row, message).
    pub session_problems: Vec<(usize, String)>,
    /// The figures the line would be saved with (a timetabled line's come from its rows).
    pub figures: Option<ActualFigures>,
    pub assessment: Option<LineAssessment>,
}

impl DraftOutcome {
    pub fn problem(&self, field: Field) -> Option<&str> {
        self.problems
            .iter()
            .find(|problem| problem.field == field)
            .map(|problem| problem.message.as_str())
    }

    pub fn session_problem(&self, row: usize) -> Option<&str> {
        self.session_problems
            .iter()
            .find(|(index, _)| *index == row)
            .map(|(_, message)| message.as_str())
    }

    pub fn is_valid(&self) -> bool {
        self.problems.is_empty() && self.session_problems.is_empty()
    }
}

/// The timetable a line's plan came from: its planned rows are already limited to the days
/// the CPLI is active, so every day counts.
fn timetable_of(view: &portal_dto::TimetableView) -> Option<Timetable> {
    view.planned_rows
        .iter()
        .map(|row| {
            Some(TimetableRow {
                days: Weekdays::from_codes(&row.days).ok()?,
                quantity: Quantity::parse(&row.quantity).ok()?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .map(|rows| Timetable { rows })
}

/// A quantity the server sent; zero if it is ever unreadable (it never should be).
fn sent(text: &str) -> Decimal {
    Quantity::parse(text).map_or(Decimal::ZERO, Quantity::value)
}

/// Parses the draft and assesses it against the line's plan, rate and the contract settings,
/// by the same domain rules the server applies: a timetabled line from its rows, an
/// intermittent one against its allocation.
pub fn assess_draft(
    line: &ActualLine,
    draft: &LineDraft,
    settings: &ExceptionSettings,
    rules: &ContractRules,
) -> DraftOutcome {
    let mut problems = Vec::new();
    let by_rows = line.timetable.is_some();
    let mut quantity = |field: Field| match Quantity::parse(draft.get(field)) {
        Ok(value) => Some(value),
        // A timetabled line's four figures come from its rows.
        Err(_) if by_rows && field != Field::Visits => Some(Quantity::zero()),
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
    let mut session_problems = Vec::new();
    let mut rows = Vec::new();
    for (index, session) in draft.sessions.iter().enumerate() {
        match Quantity::parse(&session.quantity) {
            Ok(quantity) => rows.push(SessionRow {
                days: Weekdays(session.days),
                quantity,
                frustrated: session.frustrated,
                comment: session.comment.clone(),
            }),
            Err(error) => session_problems.push((index, format!("Sessions {error}"))),
        }
    }

    let figures = match (actual, frustrated, missed, extra, visits) {
        (Some(actual), Some(frustrated), Some(missed), Some(extra), Some(visits))
            if session_problems.is_empty() =>
        {
            match (&line.timetable, &line.allocation) {
                (Some(view), _) => timetable_of(view).and_then(|timetable| {
                    figures_from_rows(&timetable, [true; 7], &rows, visits, &draft.comment).ok()
                }),
                (None, Some(_)) => {
                    intermittent_figures(actual, frustrated, missed, extra, visits, &draft.comment)
                        .ok()
                }
                (None, None) => Quantity::parse(&line.planned)
                    .ok()
                    .map(|planned| ActualFigures {
                        planned,
                        actual,
                        frustrated,
                        missed,
                        extra,
                        visits,
                        comment: draft.comment.clone(),
                    }),
            }
        }
        _ => None,
    };
    let kind = match &line.allocation {
        Some(allocation) => match Quantity::parse(&allocation.annual) {
            Ok(annual_allocation) => LineKind::Intermittent {
                annual_allocation,
                used_elsewhere: sent(&allocation.used_elsewhere),
            },
            Err(_) => LineKind::Planned,
        },
        None if line.unplanned => LineKind::Unplanned,
        None => LineKind::Planned,
    };
    let assessment = match (&figures, Money::parse(&line.rate)) {
        (Some(figures), Ok(rate)) => {
            let context = LineContext {
                subject: &line.subject,
                unit: Unit::from_code(&line.service_level.unit).unwrap_or(Unit::Hour),
                rate,
                kind,
                settings,
            };
            Some(assess(figures, &context))
        }
        _ => None,
    };
    // The contract's rules refuse the save, as the server would, naming the field.
    if let Some(figures) = &figures {
        for breach in breaches(figures, rules) {
            let field = match breach.field {
                RuleField::Comment => Field::Comment,
                RuleField::Visits => Field::Visits,
                RuleField::Extra => Field::Extra,
            };
            problems.push(FieldProblem {
                field,
                message: format!("{} {}", field.label(), breach.message),
            });
        }
    }
    DraftOutcome {
        problems,
        session_problems,
        figures,
        assessment,
    }
}

/// The contract's rules as the server sent them.
pub fn contract_rules(rules: &portal_dto::ContractRules) -> ContractRules {
    ContractRules {
        comment_mandatory: rules.comment_mandatory,
        visits_mandatory: rules.visits_mandatory,
        extra_allowed: rules.extra_allowed,
        frustrated_comments: rules.frustrated_comments.clone(),
    }
}

/// What is left of an intermittent line's allocation once the typed units are paid.
pub fn allocation_left(line: &ActualLine, outcome: &DraftOutcome) -> Option<Decimal> {
    let allocation = line.allocation.as_ref()?;
    let paid = outcome.assessment.as_ref()?.paid_units;
    Some(sent(&allocation.annual) - sent(&allocation.used_elsewhere) - paid)
}

/// A block copied from Excel or LibreOffice: rows split by line breaks, cells by tabs. A
/// trailing line break (spreadsheets add one) makes no extra row.
pub fn paste_block(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    text.split('\n')
        .map(|row| {
            row.trim_end_matches('\r')
                .split('\t')
                .map(|cell| cell.trim().to_owned())
                .collect()
        })
        .collect()
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
            threshold: exception.threshold_label(),
            value: exception.value_label(),
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
            timetable: None,
            sessions: None,
            allocation: None,
            unplanned: false,
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
            sessions: Vec::new(),
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
            &ContractRules::default(),
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
            &ContractRules::default(),
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
            &ContractRules::default(),
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
        let outcome = assess_draft(
            &double_handed_line(),
            &draft,
            &ExceptionSettings::default(),
            &ContractRules::default(),
        );
        assert!(outcome.is_valid());
        assert_eq!(draft.to_input(&double_handed_line()).visits, None);
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
        let outcome = assess_draft(
            &double_handed_line(),
            &typed("1", "1", "x"),
            &settings,
            &ContractRules::default(),
        );
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

    fn iris_angelo_line() -> ActualLine {
        let row = |days: &[&str]| portal_dto::SessionRow {
            days: days.iter().map(|d| (*d).to_owned()).collect(),
            quantity: "1".to_owned(),
            frustrated: false,
            comment: String::new(),
        };
        let planned = vec![row(&["mon", "wed", "fri"]), row(&["tue", "thu"])];
        ActualLine {
            service_level: ServiceLevelRef {
                id: "9".to_owned(),
                name: "Day Opportunities - Bedford".to_owned(),
                unit: "session".to_owned(),
                pricing_kind: "timetabled".to_owned(),
            },
            subject: "Ms Iris Angelo (A1), 04/04/2022, Day Opportunities PP Home".to_owned(),
            rate: "214.46".to_owned(),
            planned: "5".to_owned(),
            actual: "5".to_owned(),
            timetable: Some(portal_dto::TimetableView {
                planned_rows: planned.clone(),
                active_days: vec![
                    "mon".into(),
                    "tue".into(),
                    "wed".into(),
                    "thu".into(),
                    "fri".into(),
                ],
            }),
            sessions: Some(planned),
            ..double_handed_line()
        }
    }

    #[test]
    fn e16_unticking_two_days_costs_643_38_live() {
        let line = iris_angelo_line();
        let mut draft = LineDraft::from_line(&line);
        assert_eq!(draft.sessions.len(), 2);
        draft.sessions[0].days[2] = false;
        draft.sessions[0].days[4] = false;
        draft.comment = "Centre closed".to_owned();
        let outcome = assess_draft(
            &line,
            &draft,
            &ExceptionSettings::default(),
            &ContractRules::default(),
        );
        let figures = outcome.figures.clone().expect("rows give figures");
        assert_eq!(figures.actual, Quantity::parse("3").unwrap());
        assert_eq!(figures.missed, Quantity::parse("2").unwrap());
        let assessment = outcome.assessment.unwrap();
        assert_eq!(
            assessment.explanation,
            "£643.38 = 3 (Actual + Frstd) Sessions x £214.46"
        );
        assert!(assessment.exceptions.is_empty());
        let input = draft.to_input(&line);
        let sent = input.sessions.expect("a timetabled line sends its rows");
        assert_eq!(sent[0].days, vec!["mon".to_owned()]);
    }

    #[test]
    fn a_bad_session_quantity_is_named_and_blocks_saving() {
        let line = iris_angelo_line();
        let mut draft = LineDraft::from_line(&line);
        draft.sessions.push(SessionDraft {
            quantity: "lots".to_owned(),
            ..SessionDraft::blank()
        });
        let outcome = assess_draft(
            &line,
            &draft,
            &ExceptionSettings::default(),
            &ContractRules::default(),
        );
        assert!(!outcome.is_valid());
        assert_eq!(
            outcome.session_problem(2),
            Some("Sessions must be a number, like 5 or 5.5")
        );
    }

    #[test]
    fn short_break_nights_show_the_allocation_left_and_its_exception() {
        let line = ActualLine {
            planned: "0".to_owned(),
            actual: "0".to_owned(),
            allocation: Some(portal_dto::AllocationView {
                financial_year: "2022/2023".to_owned(),
                annual: "28".to_owned(),
                used_elsewhere: "26".to_owned(),
                left: "2".to_owned(),
            }),
            ..double_handed_line()
        };
        let mut draft = LineDraft::from_line(&line);
        draft.actual = "3".to_owned();
        let outcome = assess_draft(
            &line,
            &draft,
            &ExceptionSettings::default(),
            &ContractRules::default(),
        );
        assert_eq!(allocation_left(&line, &outcome), Some(Decimal::from(-1)));
        let titles: Vec<_> = exception_views(outcome.assessment.as_ref().unwrap())
            .into_iter()
            .map(|view| view.title)
            .collect();
        assert_eq!(titles, vec!["Allocation exceeded".to_owned()]);
    }

    #[test]
    fn a_block_pasted_from_a_spreadsheet_splits_into_rows_and_cells() {
        assert_eq!(
            paste_block("6\t0\t1\r\n3\t0\t0\r\n"),
            vec![
                vec!["6".to_owned(), "0".to_owned(), "1".to_owned()],
                vec!["3".to_owned(), "0".to_owned(), "0".to_owned()],
            ]
        );
        assert_eq!(paste_block("7"), vec![vec!["7".to_owned()]]);
    }

    #[test]
    fn the_contracts_rules_name_the_field_before_saving() {
        let rules = ContractRules {
            extra_allowed: false,
            comment_mandatory: true,
            ..ContractRules::default()
        };
        let mut draft = typed("2", "0", "");
        draft.extra = "1".to_owned();
        let outcome = assess_draft(
            &double_handed_line(),
            &draft,
            &ExceptionSettings::default(),
            &rules,
        );
        assert!(!outcome.is_valid());
        assert_eq!(
            outcome.problem(Field::Extra),
            Some(
                "Extra is not allowed under this contract: ask the council for a variation instead"
            )
        );
        assert_eq!(
            outcome.problem(Field::Comment),
            Some("Comment must say why the line differs from the plan")
        );
    }

    #[test]
    fn an_unplanned_line_sends_its_level_and_warns_before_saving() {
        let line = ActualLine {
            cpli_id: String::new(),
            planned: "0".to_owned(),
            actual: "0".to_owned(),
            unplanned: true,
            ..double_handed_line()
        };
        let mut draft = LineDraft::from_line(&line);
        draft.actual = "2".to_owned();
        draft.extra = "2".to_owned();
        draft.comment = "Night call after a fall".to_owned();
        let outcome = assess_draft(
            &line,
            &draft,
            &ExceptionSettings::default(),
            &ContractRules::default(),
        );
        let titles: Vec<String> = exception_views(outcome.assessment.as_ref().unwrap())
            .into_iter()
            .map(|view| view.title)
            .collect();
        assert_eq!(titles, vec!["Unplanned actual".to_owned()]);
        let input = draft.to_input(&line);
        assert_eq!(input.cpli_id, "");
        assert_eq!(input.service_level_id.as_deref(), Some("2"));
    }
}
