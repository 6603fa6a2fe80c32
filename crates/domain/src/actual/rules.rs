//! The per-council rules of DOMAIN 14a that a contract sets for its actuals. Unlike
//! exceptions, which warn, a broken rule refuses the save, naming the field to fix.

use serde::{Deserialize, Serialize};

use crate::actual::ActualFigures;

/// What a contract requires of every actual line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractRules {
    /// A line that differs from the plan must have a comment.
    pub comment_mandatory: bool,
    /// Visits must be entered on every line.
    pub visits_mandatory: bool,
    /// Extra units may be claimed at all.
    pub extra_allowed: bool,
    /// When not empty, frustrated units only with one of these comments (Bradford: hospital
    /// retention, "Hospital Week 1" or "Hospital Week 2").
    pub frustrated_comments: Vec<String>,
}

impl Default for ContractRules {
    /// Nothing required beyond DOMAIN 4: what a contract has until the council says more.
    fn default() -> Self {
        ContractRules {
            comment_mandatory: false,
            visits_mandatory: false,
            extra_allowed: true,
            frustrated_comments: Vec::new(),
        }
    }
}

/// The field a broken rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleField {
    Comment,
    Visits,
    Extra,
}

impl RuleField {
    /// The field as the API names it in `lines[0].comment`.
    pub fn api_name(self) -> &'static str {
        match self {
            RuleField::Comment => "comment",
            RuleField::Visits => "visits",
            RuleField::Extra => "extra",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBreach {
    pub field: RuleField,
    /// Reads after the field's name: "Comment must say why …".
    pub message: String,
}

/// `"Hospital Week 1" or "Hospital Week 2"`.
fn either(choices: &[String]) -> String {
    let quoted: Vec<String> = choices
        .iter()
        .map(|c| format!("\u{201c}{c}\u{201d}"))
        .collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((only, _)) => only.clone(),
        None => String::new(),
    }
}

/// Every rule the line breaks, in the grid's column order.
pub fn breaches(figures: &ActualFigures, rules: &ContractRules) -> Vec<RuleBreach> {
    let mut broken = Vec::new();
    let comment = figures.comment.trim();
    if !rules.extra_allowed && !figures.extra.is_zero() {
        broken.push(RuleBreach {
            field: RuleField::Extra,
            message: "is not allowed under this contract: ask the council for a variation instead"
                .to_owned(),
        });
    }
    if rules.visits_mandatory && figures.visits.is_none() {
        broken.push(RuleBreach {
            field: RuleField::Visits,
            message: "must be entered under this contract".to_owned(),
        });
    }
    let frustrated_restricted =
        !rules.frustrated_comments.is_empty() && !figures.frustrated.is_zero();
    if frustrated_restricted
        && !rules
            .frustrated_comments
            .iter()
            .any(|allowed| allowed.trim().eq_ignore_ascii_case(comment))
    {
        broken.push(RuleBreach {
            field: RuleField::Comment,
            message: format!(
                "must be {} when units are frustrated under this contract",
                either(&rules.frustrated_comments)
            ),
        });
    } else if rules.comment_mandatory && figures.differs_from_plan() && comment.is_empty() {
        broken.push(RuleBreach {
            field: RuleField::Comment,
            message: "must say why the line differs from the plan".to_owned(),
        });
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amount::Quantity;

    fn line(actual: &str, frustrated: &str, missed: &str, extra: &str) -> ActualFigures {
        let q = |text: &str| Quantity::parse(text).unwrap();
        ActualFigures {
            planned: q("5"),
            actual: q(actual),
            frustrated: q(frustrated),
            missed: q(missed),
            extra: q(extra),
            visits: None,
            comment: String::new(),
        }
    }

    fn bradford() -> ContractRules {
        ContractRules {
            comment_mandatory: true,
            visits_mandatory: true,
            extra_allowed: false,
            frustrated_comments: vec!["Hospital Week 1".to_owned(), "Hospital Week 2".to_owned()],
        }
    }

    #[test]
    fn the_defaults_require_nothing() {
        assert!(breaches(&line("4", "0", "0", "0"), &ContractRules::default()).is_empty());
    }

    #[test]
    fn bradford_refuses_extras_missing_visits_and_unexplained_differences() {
        let broken = breaches(&line("6", "0", "0", "1"), &bradford());
        let fields: Vec<RuleField> = broken.iter().map(|b| b.field).collect();
        assert_eq!(
            fields,
            vec![RuleField::Extra, RuleField::Visits, RuleField::Comment]
        );
        assert_eq!(
            broken[2].message,
            "must say why the line differs from the plan"
        );
    }

    #[test]
    fn frustrated_units_need_one_of_the_councils_comments() {
        let mut figures = line("0", "5", "0", "0");
        figures.visits = Some(Quantity::zero());
        figures.comment = "In hospital".to_owned();
        let broken = breaches(&figures, &bradford());
        assert_eq!(
            broken[0].message,
            "must be \u{201c}Hospital Week 1\u{201d} or \u{201c}Hospital Week 2\u{201d} when units are frustrated under this contract"
        );
        figures.comment = "hospital week 2".to_owned();
        assert!(breaches(&figures, &bradford()).is_empty());
    }
}
