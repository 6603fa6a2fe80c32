//! Disputes (DOMAIN 9): the council disputes a client's actuals at a service for whole weeks
//! (or single lines within them); the provider answers and requests resolution; the council
//! resolves the dispute or reopens it. This module holds the weeks a dispute may cover and
//! the state machine: which step moves which status, and who may take it.

use time::Date;

use crate::calendar::Week;
use crate::format::format_date;

/// The most weeks one dispute covers: half a year. A longer query is several disputes, so
/// that each one's lines fit on a page.
pub const MAX_WEEKS: usize = 26;

/// Where a dispute stands. "Open" is anything not yet resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisputeStatus {
    /// Raised or reopened by the council: the provider is to answer.
    InDispute,
    /// The provider answered and asked the council to resolve it.
    ResolutionRequested,
    /// The council agreed. It may still reopen it.
    Resolved,
}

impl DisputeStatus {
    pub const ALL: [DisputeStatus; 3] = [
        DisputeStatus::InDispute,
        DisputeStatus::ResolutionRequested,
        DisputeStatus::Resolved,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DisputeStatus::InDispute => "in_dispute",
            DisputeStatus::ResolutionRequested => "resolution_requested",
            DisputeStatus::Resolved => "resolved",
        }
    }

    pub fn from_code(code: &str) -> Option<DisputeStatus> {
        DisputeStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }

    /// As the guides' Disputes screen shows it.
    pub fn label(self) -> &'static str {
        match self {
            DisputeStatus::InDispute => "In Dispute",
            DisputeStatus::ResolutionRequested => "Resolution Requested",
            DisputeStatus::Resolved => "Resolved",
        }
    }

    pub fn is_open(self) -> bool {
        self != DisputeStatus::Resolved
    }

    /// True when the provider is to act: the home page's "awaiting action".
    pub fn awaits_provider(self) -> bool {
        self == DisputeStatus::InDispute
    }
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Provider,
    Council,
}

/// A step in a dispute's life after it was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisputeStep {
    /// The provider answers (a response is required) and asks the council to resolve.
    RequestResolution,
    /// The council accepts the answer.
    Resolve,
    /// The council is not satisfied (a comment is required): back to the provider.
    Reopen,
}

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// The wrong side asked (the API answers 403).
    #[error("only {0} can do this")]
    NotYours(&'static str),
    /// The dispute is not in a status the step starts from (the API answers 409).
    #[error("{0}")]
    WrongStatus(String),
}

impl DisputeStep {
    pub fn code(self) -> &'static str {
        match self {
            DisputeStep::RequestResolution => "resolution_requested",
            DisputeStep::Resolve => "resolved",
            DisputeStep::Reopen => "reopened",
        }
    }

    /// Who may take this step.
    pub fn side(self) -> Side {
        match self {
            DisputeStep::RequestResolution => Side::Provider,
            DisputeStep::Resolve | DisputeStep::Reopen => Side::Council,
        }
    }

    /// Whether the step must carry text: the provider's response, or the council's reason
    /// for reopening. Resolving may say nothing.
    pub fn needs_text(self) -> bool {
        !matches!(self, DisputeStep::Resolve)
    }

    /// The status this step leads to from `from`, when `side` takes it.
    pub fn apply(self, from: DisputeStatus, side: Side) -> Result<DisputeStatus, StepError> {
        if side != self.side() {
            return Err(StepError::NotYours(match self.side() {
                Side::Provider => "the provider",
                Side::Council => "council staff",
            }));
        }
        use DisputeStatus::*;
        match (self, from) {
            (DisputeStep::RequestResolution, InDispute) => Ok(ResolutionRequested),
            (DisputeStep::Resolve, ResolutionRequested) => Ok(Resolved),
            (DisputeStep::Reopen, ResolutionRequested | Resolved) => Ok(InDispute),
            (DisputeStep::RequestResolution, ResolutionRequested) => Err(StepError::WrongStatus(
                "Resolution has already been requested: the council is to resolve or reopen the dispute.".into(),
            )),
            (DisputeStep::RequestResolution, Resolved) => Err(StepError::WrongStatus(
                "The dispute is resolved: there is nothing to request.".into(),
            )),
            (DisputeStep::Resolve, InDispute) => Err(StepError::WrongStatus(
                "The dispute is waiting for the provider's response: it can be resolved once they request resolution.".into(),
            )),
            (DisputeStep::Resolve, Resolved) => Err(StepError::WrongStatus(
                "The dispute is already resolved.".into(),
            )),
            (DisputeStep::Reopen, InDispute) => Err(StepError::WrongStatus(
                "The dispute is already open and waiting for the provider.".into(),
            )),
        }
    }
}

/// The weeks a dispute covers: from one Monday to another, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisputeWeeks {
    first: Week,
    last: Week,
}

/// Why a range of weeks cannot be disputed, naming the field (`from` or `to`) at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeeksError {
    #[error("must be on or after the first week")]
    Reversed,
    #[error("covers more than {MAX_WEEKS} weeks: raise one dispute for each part")]
    TooLong,
    #[error("is a week that has not started yet: only actuals already due can be disputed")]
    InFuture,
}

impl DisputeWeeks {
    /// The weeks from `first` to `last`, checked against `today`.
    pub fn new(first: Week, last: Week, today: Date) -> Result<DisputeWeeks, WeeksError> {
        if last < first {
            return Err(WeeksError::Reversed);
        }
        if last.is_after_week_of(today) {
            return Err(WeeksError::InFuture);
        }
        let weeks = DisputeWeeks { first, last };
        if weeks.weeks().len() > MAX_WEEKS {
            return Err(WeeksError::TooLong);
        }
        Ok(weeks)
    }

    /// The weeks as stored, unchecked against today.
    pub fn stored(first: Week, last: Week) -> DisputeWeeks {
        DisputeWeeks { first, last }
    }

    pub fn first(self) -> Week {
        self.first
    }

    pub fn last(self) -> Week {
        self.last
    }

    /// Every week, first to last.
    pub fn weeks(self) -> Vec<Week> {
        let mut weeks = vec![self.first];
        let mut week = self.first;
        while week < self.last && weeks.len() <= MAX_WEEKS {
            week = week.next();
            weeks.push(week);
        }
        weeks
    }

    /// "18/04/2022 - 24/04/2022", as the Disputes list shows the range.
    pub fn label(self) -> String {
        format!(
            "{} - {}",
            format_date(self.first.monday()),
            format_date(self.last.sunday())
        )
    }

    /// True when the weeks share a day with `from`..=`to`.
    pub fn overlaps(self, from: Date, to: Date) -> bool {
        self.first.monday() <= to && self.last.sunday() >= from
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn week(text: &str) -> Week {
        Week::parse(text).unwrap()
    }

    #[test]
    fn the_cycle_runs_provider_council_and_back() {
        use DisputeStatus::*;
        let requested = DisputeStep::RequestResolution
            .apply(InDispute, Side::Provider)
            .unwrap();
        assert_eq!(requested, ResolutionRequested);
        let reopened = DisputeStep::Reopen.apply(requested, Side::Council).unwrap();
        assert_eq!(reopened, InDispute);
        let again = DisputeStep::RequestResolution
            .apply(reopened, Side::Provider)
            .unwrap();
        assert_eq!(
            DisputeStep::Resolve.apply(again, Side::Council).unwrap(),
            Resolved
        );
        // A resolved dispute may be reopened by the council.
        assert_eq!(
            DisputeStep::Reopen.apply(Resolved, Side::Council).unwrap(),
            InDispute
        );
    }

    #[test]
    fn only_the_right_side_takes_each_step() {
        use DisputeStatus::*;
        assert_eq!(
            DisputeStep::Resolve.apply(ResolutionRequested, Side::Provider),
            Err(StepError::NotYours("council staff"))
        );
        assert_eq!(
            DisputeStep::Reopen.apply(ResolutionRequested, Side::Provider),
            Err(StepError::NotYours("council staff"))
        );
        assert_eq!(
            DisputeStep::RequestResolution.apply(InDispute, Side::Council),
            Err(StepError::NotYours("the provider"))
        );
    }

    #[test]
    fn every_other_step_is_refused_with_a_reason() {
        use DisputeStatus::*;
        let refused = [
            (DisputeStep::RequestResolution, ResolutionRequested),
            (DisputeStep::RequestResolution, Resolved),
            (DisputeStep::Resolve, InDispute),
            (DisputeStep::Resolve, Resolved),
            (DisputeStep::Reopen, InDispute),
        ];
        for (step, from) in refused {
            match step.apply(from, step.side()) {
                Err(StepError::WrongStatus(reason)) => assert!(!reason.is_empty()),
                other => panic!("{step:?} from {from:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn statuses_round_trip_and_say_who_acts() {
        for status in DisputeStatus::ALL {
            assert_eq!(DisputeStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(DisputeStatus::from_code("open"), None);
        assert!(DisputeStatus::InDispute.awaits_provider());
        assert!(!DisputeStatus::ResolutionRequested.awaits_provider());
        assert!(DisputeStatus::ResolutionRequested.is_open());
        assert!(!DisputeStatus::Resolved.is_open());
        assert_eq!(
            DisputeStatus::ResolutionRequested.label(),
            "Resolution Requested"
        );
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_are_checked() {
        let today = date!(2022 - 09 - 01);
        let weeks = DisputeWeeks::new(week("2022-08-15"), week("2022-08-22"), today).unwrap();
        assert_eq!(weeks.weeks(), vec![week("2022-08-15"), week("2022-08-22")]);
        assert_eq!(weeks.label(), "15/08/2022 - 28/08/2022");
        assert!(weeks.overlaps(date!(2022 - 08 - 28), date!(2022 - 09 - 30)));
        assert!(!weeks.overlaps(date!(2022 - 08 - 29), date!(2022 - 09 - 30)));
        assert!(!weeks.overlaps(date!(2022 - 08 - 01), date!(2022 - 08 - 14)));

        assert_eq!(
            DisputeWeeks::new(week("2022-08-22"), week("2022-08-15"), today),
            Err(WeeksError::Reversed)
        );
        assert_eq!(
            DisputeWeeks::new(week("2022-08-22"), week("2022-09-05"), today),
            Err(WeeksError::InFuture)
        );
        assert_eq!(
            DisputeWeeks::new(week("2021-08-02"), week("2022-08-22"), today),
            Err(WeeksError::TooLong)
        );
        let longest = DisputeWeeks::new(week("2022-03-07"), week("2022-08-29"), today).unwrap();
        assert_eq!(longest.weeks().len(), MAX_WEEKS);
    }
}
