//! Actions (DOMAIN 10): conversations between a provider and the council about an entity.
//! What an action may be raised on, when it may fall due, who it is assigned to and which
//! state it is in. Due dates count working days (DOMAIN 2): Monday to Friday less the
//! council's bank holidays, with [`crate::council::add_working_days`].

use time::Date;

use crate::council::{add_working_days, is_working_day, EntityKind};

/// Where an action stands. Only the council closes; a provider may ask it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionStatus {
    Open,
    ClosureRequested,
    Closed,
}

impl ActionStatus {
    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::ClosureRequested => "closure_requested",
            ActionStatus::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<ActionStatus> {
        [
            ActionStatus::Open,
            ActionStatus::ClosureRequested,
            ActionStatus::Closed,
        ]
        .into_iter()
        .find(|status| status.code() == code)
    }

    /// As the guides show it: an action not yet closed is "Pending".
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Open => "Open",
            ActionStatus::ClosureRequested => "Closure requested",
            ActionStatus::Closed => "Closed",
        }
    }

    pub fn is_open(self) -> bool {
        self != ActionStatus::Closed
    }
}

/// Who is to answer next: one of the council's teams, or the provider.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Assignee {
    Team(String),
    Provider,
}

impl Assignee {
    /// "LA (Payments & Contracts Team)" or "Provider", as the actions list reads.
    pub fn label(&self) -> String {
        match self {
            Assignee::Team(team) => format!("LA ({team})"),
            Assignee::Provider => "Provider".to_owned(),
        }
    }
}

/// Which side of the conversation writes a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Provider,
    Council,
}

/// What a post to an action's thread does (DOMAIN 10). The provider may Comment (no
/// reassignment), Reply (to a council team) and Request Closure; council staff may Comment,
/// Reply (to the provider or a team) and Close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    Comment,
    Reply,
    ClosureRequest,
    Close,
}

impl PostKind {
    pub const ALL: [PostKind; 4] = [
        PostKind::Comment,
        PostKind::Reply,
        PostKind::ClosureRequest,
        PostKind::Close,
    ];

    /// As stored in `action_post.kind` and sent by the API.
    pub fn code(self) -> &'static str {
        match self {
            PostKind::Comment => "comment",
            PostKind::Reply => "reply",
            PostKind::ClosureRequest => "closure_request",
            PostKind::Close => "closed",
        }
    }

    /// The button that makes the post: "Comment", "Reply", "Request Closure", "Close".
    pub fn label(self) -> &'static str {
        match self {
            PostKind::Comment => "Comment",
            PostKind::Reply => "Reply",
            PostKind::ClosureRequest => "Request Closure",
            PostKind::Close => "Close",
        }
    }

    /// Whether the post passes the action to someone (the "Reply to" chosen): a reply, and a
    /// provider's closure request, which goes to a council team.
    pub fn reassigns(self) -> bool {
        matches!(self, PostKind::Reply | PostKind::ClosureRequest)
    }

    /// The posts each side may make, in the guides' order.
    pub fn offered_to(side: Side) -> [PostKind; 3] {
        match side {
            Side::Council => [PostKind::Comment, PostKind::Reply, PostKind::Close],
            Side::Provider => [PostKind::Comment, PostKind::Reply, PostKind::ClosureRequest],
        }
    }

    /// Reads a post kind as the API sends it (`close` or `closed` for closing).
    pub fn from_code(code: &str) -> Option<PostKind> {
        match code {
            "close" => Some(PostKind::Close),
            _ => PostKind::ALL.into_iter().find(|kind| kind.code() == code),
        }
    }
}

/// Where a post leaves its action: its status, and who is to answer next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostOutcome {
    pub status: ActionStatus,
    pub assignee: Assignee,
    /// Whether the post moved the action to someone else (recorded on the post).
    pub reassigned: bool,
}

/// Why a post cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    #[error("This action is closed: nothing more can be posted to it.")]
    Closed,
    #[error("Only council staff close an action: ask for it with Request Closure.")]
    OnlyCouncilCloses,
    #[error("Request Closure is the provider's: council staff close the action instead.")]
    OnlyProviderRequestsClosure,
    #[error("A comment does not reassign the action: reply to reassign it.")]
    CommentReassigns,
    #[error("Choose the council team to send this to.")]
    TeamNeeded,
    #[error("The provider replies to one of the council's teams.")]
    ProviderAssignsProvider,
}

/// What a post of `kind` by `side` does to an action in `status` assigned to `current`,
/// with the assignee asked for (`assign_to`), or why it cannot be made.
pub fn post(
    status: ActionStatus,
    current: &Assignee,
    side: Side,
    kind: PostKind,
    assign_to: Option<Assignee>,
) -> Result<PostOutcome, PostError> {
    if status == ActionStatus::Closed {
        return Err(PostError::Closed);
    }
    let to_team = |assign_to: Option<Assignee>| match (assign_to, current) {
        (Some(Assignee::Team(team)), _) => Ok(Assignee::Team(team)),
        (Some(Assignee::Provider), _) => Err(PostError::ProviderAssignsProvider),
        (None, Assignee::Team(team)) => Ok(Assignee::Team(team.clone())),
        (None, Assignee::Provider) => Err(PostError::TeamNeeded),
    };
    let (status, assignee) = match (side, kind) {
        (_, PostKind::Comment) => {
            if assign_to.as_ref().is_some_and(|asked| asked != current) {
                return Err(PostError::CommentReassigns);
            }
            (status, current.clone())
        }
        (Side::Provider, PostKind::Reply) => (ActionStatus::Open, to_team(assign_to)?),
        (Side::Provider, PostKind::ClosureRequest) => {
            (ActionStatus::ClosureRequested, to_team(assign_to)?)
        }
        (Side::Provider, PostKind::Close) => return Err(PostError::OnlyCouncilCloses),
        (Side::Council, PostKind::Reply) => {
            (ActionStatus::Open, assign_to.unwrap_or(Assignee::Provider))
        }
        (Side::Council, PostKind::ClosureRequest) => {
            return Err(PostError::OnlyProviderRequestsClosure)
        }
        (Side::Council, PostKind::Close) => (ActionStatus::Closed, current.clone()),
    };
    Ok(PostOutcome {
        reassigned: &assignee != current,
        status,
        assignee,
    })
}

/// An action is overdue when its due date has passed while the provider is to answer.
pub fn is_overdue(status: ActionStatus, assignee: &Assignee, due_on: Date, today: Date) -> bool {
    status.is_open() && *assignee == Assignee::Provider && due_on < today
}

/// The earliest due date an action type allows for an action raised on `today`.
pub fn earliest_due_date(today: Date, minimum_working_days: u32, bank_holidays: &[Date]) -> Date {
    add_working_days(today, minimum_working_days, bank_holidays)
}

/// Why a new action cannot be raised as asked, each naming the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionRuleError {
    #[error(
        "must be on or after {earliest}: this type of action needs at least {days} working days"
    )]
    DueTooSoon { earliest: String, days: u32 },
    #[error("this type of action cannot be raised on {kind}")]
    WrongEntityKind { kind: &'static str },
}

/// Checks a due date against the type's minimum in working days from `today`.
pub fn check_due_date(
    due_on: Date,
    today: Date,
    minimum_working_days: u32,
    bank_holidays: &[Date],
) -> Result<(), ActionRuleError> {
    let earliest = earliest_due_date(today, minimum_working_days, bank_holidays);
    if due_on < earliest {
        return Err(ActionRuleError::DueTooSoon {
            earliest: crate::format::format_date(earliest),
            days: minimum_working_days,
        });
    }
    Ok(())
}

/// Checks that the type may be raised on this kind of entity.
pub fn check_entity_kind(allowed: &[EntityKind], kind: EntityKind) -> Result<(), ActionRuleError> {
    if allowed.contains(&kind) {
        Ok(())
    } else {
        Err(ActionRuleError::WrongEntityKind { kind: kind.label() })
    }
}

/// The working days after `from` up to and including `to` (0 when `to` is not later).
pub fn working_days_between(from: Date, to: Date, bank_holidays: &[Date]) -> u32 {
    let mut day = from;
    let mut counted = 0;
    while day < to {
        day = day.next_day().expect("dates within range");
        if is_working_day(day, bank_holidays) {
            counted += 1;
        }
    }
    counted
}

impl EntityKind {
    /// As the screens name it: "Client", "Credit Note".
    pub fn label(self) -> &'static str {
        match self {
            EntityKind::Client => "Client",
            EntityKind::Contract => "Contract",
            EntityKind::Service => "Service",
            EntityKind::Organisation => "Organisation",
            EntityKind::Invoice => "Invoice",
            EntityKind::CreditNote => "Credit Note",
            EntityKind::Contact => "Contact",
            EntityKind::SpotCommitment => "Spot Commitment",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;
    use time::{Duration, Weekday};

    fn team(name: &str) -> Assignee {
        Assignee::Team(name.to_owned())
    }

    #[test]
    fn the_provider_comments_replies_and_asks_for_closure() {
        let brokerage = team("Brokerage Team");
        let comment = post(
            ActionStatus::Open,
            &brokerage,
            Side::Provider,
            PostKind::Comment,
            None,
        )
        .unwrap();
        assert_eq!(comment.assignee, brokerage);
        assert!(!comment.reassigned);
        assert_eq!(
            post(
                ActionStatus::Open,
                &brokerage,
                Side::Provider,
                PostKind::Comment,
                Some(team("Finance"))
            ),
            Err(PostError::CommentReassigns)
        );
        // Answering the council's question sends it back to a team.
        let reply = post(
            ActionStatus::Open,
            &Assignee::Provider,
            Side::Provider,
            PostKind::Reply,
            Some(team("Finance")),
        )
        .unwrap();
        assert_eq!(reply.assignee, team("Finance"));
        assert!(reply.reassigned);
        assert_eq!(
            post(
                ActionStatus::Open,
                &Assignee::Provider,
                Side::Provider,
                PostKind::Reply,
                None
            ),
            Err(PostError::TeamNeeded)
        );
        let closing = post(
            ActionStatus::Open,
            &brokerage,
            Side::Provider,
            PostKind::ClosureRequest,
            None,
        )
        .unwrap();
        assert_eq!(closing.status, ActionStatus::ClosureRequested);
        assert_eq!(
            post(
                ActionStatus::ClosureRequested,
                &brokerage,
                Side::Provider,
                PostKind::Close,
                None
            ),
            Err(PostError::OnlyCouncilCloses)
        );
    }

    #[test]
    fn only_the_council_closes_and_nothing_follows() {
        let brokerage = team("Brokerage Team");
        let reply = post(
            ActionStatus::ClosureRequested,
            &brokerage,
            Side::Council,
            PostKind::Reply,
            None,
        )
        .unwrap();
        assert_eq!(reply.assignee, Assignee::Provider);
        assert_eq!(reply.status, ActionStatus::Open);
        assert_eq!(
            post(
                ActionStatus::Open,
                &brokerage,
                Side::Council,
                PostKind::ClosureRequest,
                None
            ),
            Err(PostError::OnlyProviderRequestsClosure)
        );
        let closed = post(
            ActionStatus::ClosureRequested,
            &brokerage,
            Side::Council,
            PostKind::Close,
            None,
        )
        .unwrap();
        assert_eq!(closed.status, ActionStatus::Closed);
        for side in [Side::Provider, Side::Council] {
            assert_eq!(
                post(
                    ActionStatus::Closed,
                    &brokerage,
                    side,
                    PostKind::Comment,
                    None
                ),
                Err(PostError::Closed)
            );
        }
    }

    #[test]
    fn overdue_only_while_the_provider_is_to_answer() {
        let due = date!(2022 - 07 - 14);
        let after = date!(2022 - 07 - 15);
        assert!(is_overdue(
            ActionStatus::Open,
            &Assignee::Provider,
            due,
            after
        ));
        assert!(!is_overdue(
            ActionStatus::Open,
            &Assignee::Provider,
            due,
            due
        ));
        assert!(!is_overdue(
            ActionStatus::Open,
            &team("Finance"),
            due,
            after
        ));
        assert!(!is_overdue(
            ActionStatus::Closed,
            &Assignee::Provider,
            due,
            after
        ));
    }

    #[test]
    fn a_due_date_counts_past_the_weekend_and_a_bank_holiday() {
        // Thursday 25/08/2022; Monday 29/08/2022 is the summer bank holiday.
        let holidays = [date!(2022 - 08 - 29)];
        let today = date!(2022 - 08 - 25);
        assert_eq!(
            earliest_due_date(today, 2, &holidays),
            date!(2022 - 08 - 30)
        );
        assert_eq!(
            check_due_date(date!(2022 - 08 - 29), today, 2, &holidays),
            Err(ActionRuleError::DueTooSoon {
                earliest: "30/08/2022".into(),
                days: 2
            })
        );
        assert!(check_due_date(date!(2022 - 08 - 30), today, 2, &holidays).is_ok());
        // No minimum: today will do.
        assert!(check_due_date(today, today, 0, &holidays).is_ok());
    }

    #[test]
    fn entity_kinds_and_labels() {
        assert!(check_entity_kind(&[EntityKind::Client], EntityKind::Client).is_ok());
        assert_eq!(
            check_entity_kind(&[EntityKind::Client], EntityKind::CreditNote)
                .unwrap_err()
                .to_string(),
            "this type of action cannot be raised on Credit Note"
        );
        assert_eq!(
            Assignee::Team("Brokerage Team".into()).label(),
            "LA (Brokerage Team)"
        );
        assert_eq!(Assignee::Provider.label(), "Provider");
        assert_eq!(
            ActionStatus::from_code("closure_requested"),
            Some(ActionStatus::ClosureRequested)
        );
        assert!(!ActionStatus::Closed.is_open());
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (0i64..3650).prop_map(|offset| date!(2020 - 01 - 01) + Duration::days(offset))
    }

    proptest! {
        #[test]
        fn the_earliest_due_date_is_exactly_that_many_working_days_on(
            today in any_date(),
            days in 0u32..30,
            holiday_offsets in proptest::collection::vec(0i64..60, 0..8),
        ) {
            let holidays: Vec<Date> =
                holiday_offsets.iter().map(|offset| today + Duration::days(*offset)).collect();
            let earliest = earliest_due_date(today, days, &holidays);
            prop_assert_eq!(working_days_between(today, earliest, &holidays), days);
            if days > 0 {
                // It lands on a working day, and the day before is one day short.
                prop_assert!(is_working_day(earliest, &holidays));
                prop_assert!(!matches!(earliest.weekday(), Weekday::Saturday | Weekday::Sunday));
                prop_assert!(!holidays.contains(&earliest));
                let day_before = earliest - Duration::days(1);
                prop_assert!(working_days_between(today, day_before, &holidays) < days);
                prop_assert!(check_due_date(day_before, today, days, &holidays).is_err());
            }
            prop_assert!(check_due_date(earliest, today, days, &holidays).is_ok());
            // A week of five working days, with no holidays, is seven calendar days.
            if days % 5 == 0 {
                let plain = earliest_due_date(today, days, &[]);
                if is_working_day(today, &[]) {
                    prop_assert_eq!(plain - today, Duration::days(i64::from(days / 5) * 7));
                }
            }
        }
    }
}
