//! Change requests (DOMAIN 10): providers never edit their organisation's, services' or
//! contacts' details directly. An edit, a new contact, or a role added or removed becomes a
//! request: Pending Review (amber), then Approved by the council (green: the change is
//! applied) or Rejected (red, with a reason; nothing changes). This module holds the kinds
//! and the fields each may change, the field-by-field difference a request records (only
//! what actually changes; a request that changes nothing is refused), and the decision.

use crate::access::ProviderRole;

/// What a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// The organisation's (head office's) details.
    UpdateOrganisation,
    /// One service's (site's) details.
    UpdateService,
    /// A contact's details: their own, or, for a role that keeps details, a colleague's.
    UpdateContact,
    /// A new contact of the organisation: approval creates their account.
    NewContact,
    /// A role for a contact in the organisation (replacing the one they have there).
    AddRole,
    /// A contact's role in the organisation removed: they no longer act for it.
    RemoveRole,
}

/// One field a kind of request may change: its API name (also its column), its label as
/// the screens show it, whether it may be blank, and its longest length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeField {
    pub name: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub max: usize,
}

const fn field(name: &'static str, label: &'static str, required: bool, max: usize) -> ChangeField {
    ChangeField {
        name,
        label,
        required,
        max,
    }
}

const ORGANISATION_FIELDS: [ChangeField; 6] = [
    field("name", "Name", true, 200),
    field("address_line1", "Address 1", false, 200),
    field("town", "Town", false, 100),
    field("postcode", "Postcode", false, 10),
    field("phone", "Telephone", false, 30),
    field("email", "Email", false, 254),
];

const SERVICE_FIELDS: [ChangeField; 4] = [
    field("name", "Name", true, 200),
    field("address_line1", "Address 1", false, 200),
    field("town", "Town", false, 100),
    field("postcode", "Postcode", false, 10),
];

const CONTACT_FIELDS: [ChangeField; 4] = [
    field("name", "Name", true, 200),
    field("email", "Email", true, 254),
    field("phone", "Telephone", false, 50),
    field("job_title", "Job title", false, 100),
];

const NEW_CONTACT_FIELDS: [ChangeField; 5] = [
    field("name", "Name", true, 200),
    field("email", "Email", true, 254),
    field("phone", "Telephone", false, 50),
    field("job_title", "Job title", false, 100),
    field("role", "Role", true, 20),
];

const ROLE_FIELDS: [ChangeField; 1] = [field("role", "Role", true, 20)];

impl ChangeKind {
    pub const ALL: [ChangeKind; 6] = [
        ChangeKind::UpdateOrganisation,
        ChangeKind::UpdateService,
        ChangeKind::UpdateContact,
        ChangeKind::NewContact,
        ChangeKind::AddRole,
        ChangeKind::RemoveRole,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::UpdateOrganisation => "update_organisation",
            ChangeKind::UpdateService => "update_service",
            ChangeKind::UpdateContact => "update_contact",
            ChangeKind::NewContact => "new_contact",
            ChangeKind::AddRole => "add_role",
            ChangeKind::RemoveRole => "remove_role",
        }
    }

    pub fn from_code(code: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// As the guides' Change Requests list shows it ("Type").
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::UpdateOrganisation => "Update Organisation",
            ChangeKind::UpdateService => "Update Service",
            ChangeKind::UpdateContact => "Update Contact",
            ChangeKind::NewContact => "New Contact",
            ChangeKind::AddRole => "Add Contact Role",
            ChangeKind::RemoveRole => "Remove Contact Role",
        }
    }

    /// The fields this kind may change, in the order the screens show them. A role
    /// removal takes no value: it changes the role to none.
    pub fn fields(self) -> &'static [ChangeField] {
        match self {
            ChangeKind::UpdateOrganisation => &ORGANISATION_FIELDS,
            ChangeKind::UpdateService => &SERVICE_FIELDS,
            ChangeKind::UpdateContact => &CONTACT_FIELDS,
            ChangeKind::NewContact => &NEW_CONTACT_FIELDS,
            ChangeKind::AddRole | ChangeKind::RemoveRole => &ROLE_FIELDS,
        }
    }

    pub fn field(self, name: &str) -> Option<&'static ChangeField> {
        self.fields().iter().find(|field| field.name == name)
    }

    /// Whether the request names a service (`service_id`).
    pub fn needs_service(self) -> bool {
        self == ChangeKind::UpdateService
    }

    /// Whether the request names an existing contact (`account_id`).
    pub fn needs_contact(self) -> bool {
        matches!(
            self,
            ChangeKind::UpdateContact | ChangeKind::AddRole | ChangeKind::RemoveRole
        )
    }

    /// Whether the values sent are the new values (a removal sends none).
    pub fn takes_values(self) -> bool {
        self != ChangeKind::RemoveRole
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeStatus {
    PendingReview,
    Approved,
    Rejected,
}

impl ChangeStatus {
    pub const ALL: [ChangeStatus; 3] = [
        ChangeStatus::PendingReview,
        ChangeStatus::Approved,
        ChangeStatus::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ChangeStatus::PendingReview => "pending_review",
            ChangeStatus::Approved => "approved",
            ChangeStatus::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<ChangeStatus> {
        ChangeStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ChangeStatus::PendingReview => "Pending Review",
            ChangeStatus::Approved => "Approved",
            ChangeStatus::Rejected => "Rejected",
        }
    }

    /// The GOV.UK tag colour of the guides' code: amber, green, red.
    pub fn tag_class(self) -> &'static str {
        match self {
            ChangeStatus::PendingReview => "govuk-tag govuk-tag--orange",
            ChangeStatus::Approved => "govuk-tag govuk-tag--green",
            ChangeStatus::Rejected => "govuk-tag govuk-tag--red",
        }
    }
}

/// One field as it was and as it would become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub old: String,
    pub new: String,
}

/// Why a request cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// Every value equals the current one.
    #[error("Nothing would change: change at least one detail")]
    NothingChanges,
}

/// The fields that change: for each field of `kind` in `requested` (field, new value), the
/// current value (from `current`, blank when absent) and the new one, when they differ.
/// Fields not requested are left as they are. A role removal changes `role` to blank.
pub fn diff(
    kind: ChangeKind,
    current: &[(&str, String)],
    requested: &[(&str, String)],
) -> Result<Vec<FieldChange>, RequestError> {
    let now = |name: &str| {
        current
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    let mut changes = Vec::new();
    for field in kind.fields() {
        let new = if kind == ChangeKind::RemoveRole {
            Some(String::new())
        } else {
            requested
                .iter()
                .find(|(name, _)| *name == field.name)
                .map(|(_, value)| value.trim().to_owned())
        };
        let Some(new) = new else { continue };
        let old = now(field.name);
        if old != new {
            changes.push(FieldChange {
                field: field.name,
                old,
                new,
            });
        }
    }
    if changes.is_empty() {
        Err(RequestError::NothingChanges)
    } else {
        Ok(changes)
    }
}

/// Whether `text` can be a contact's email address: something@somewhere.tld, no spaces.
pub fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// A role as a request names it: `finance`, `manager` or `administration`.
pub fn parse_role(code: &str) -> Option<ProviderRole> {
    ProviderRole::parse(code.trim())
}

/// The council's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject { reason: String },
}

/// Why a decision cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    /// A rejection must say why (the API answers 422, naming `reason`).
    #[error("Enter the reason for rejecting the change request")]
    ReasonRequired,
    /// Only a request Pending Review can be decided (the API answers 409).
    #[error("The change request is already {0}: it cannot be decided again.")]
    AlreadyDecided(&'static str),
}

impl Decision {
    /// The status the decision leads to from `from`.
    pub fn apply(&self, from: ChangeStatus) -> Result<ChangeStatus, DecisionError> {
        if let Decision::Reject { reason } = self {
            if reason.trim().is_empty() {
                return Err(DecisionError::ReasonRequired);
            }
        }
        if from != ChangeStatus::PendingReview {
            return Err(DecisionError::AlreadyDecided(match from {
                ChangeStatus::Approved => "approved",
                _ => "rejected",
            }));
        }
        Ok(match self {
            Decision::Approve => ChangeStatus::Approved,
            Decision::Reject { .. } => ChangeStatus::Rejected,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organisation() -> Vec<(&'static str, String)> {
        vec![
            ("name", "Diamond Home Care".to_owned()),
            ("address_line1", "24 Acacia Drive".to_owned()),
            ("town", "Stockport".to_owned()),
            ("postcode", "SK9 9AA".to_owned()),
            ("phone", "01612479999".to_owned()),
            ("email", "info@diamonhomecare.co.uk".to_owned()),
        ]
    }

    #[test]
    fn only_fields_that_change_are_recorded_with_old_and_new() {
        let mut requested = organisation();
        requested[4].1 = "0161 247 0000".to_owned();
        requested[5].1 = " info@diamondhomecare.co.uk ".to_owned();
        let changes = diff(ChangeKind::UpdateOrganisation, &organisation(), &requested).unwrap();
        assert_eq!(
            changes,
            vec![
                FieldChange {
                    field: "phone",
                    old: "01612479999".into(),
                    new: "0161 247 0000".into()
                },
                FieldChange {
                    field: "email",
                    old: "info@diamonhomecare.co.uk".into(),
                    new: "info@diamondhomecare.co.uk".into()
                },
            ]
        );
    }

    #[test]
    fn fields_not_sent_are_left_alone() {
        let changes = diff(
            ChangeKind::UpdateOrganisation,
            &organisation(),
            &[("town", "Marple".to_owned())],
        )
        .unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "town");
        assert_eq!(changes[0].old, "Stockport");
    }

    #[test]
    fn a_request_that_changes_nothing_is_refused() {
        assert_eq!(
            diff(
                ChangeKind::UpdateOrganisation,
                &organisation(),
                &organisation()
            ),
            Err(RequestError::NothingChanges)
        );
        // Surrounding spaces are not a change.
        assert_eq!(
            diff(
                ChangeKind::UpdateOrganisation,
                &organisation(),
                &[("name", " Diamond Home Care ".to_owned())]
            ),
            Err(RequestError::NothingChanges)
        );
        assert_eq!(
            diff(ChangeKind::UpdateService, &[], &[]),
            Err(RequestError::NothingChanges)
        );
    }

    #[test]
    fn a_new_contact_has_only_new_values_and_a_removal_only_old() {
        let changes = diff(
            ChangeKind::NewContact,
            &[],
            &[
                ("name", "Dawn Finance".to_owned()),
                ("email", "dawn@example.org".to_owned()),
                ("role", "finance".to_owned()),
                ("phone", String::new()),
            ],
        )
        .unwrap();
        let fields: Vec<_> = changes.iter().map(|change| change.field).collect();
        assert_eq!(fields, ["name", "email", "role"]);
        assert!(changes.iter().all(|change| change.old.is_empty()));

        let removal = diff(
            ChangeKind::RemoveRole,
            &[("role", "administration".to_owned())],
            &[("role", "manager".to_owned())],
        )
        .unwrap();
        assert_eq!(
            removal,
            vec![FieldChange {
                field: "role",
                old: "administration".into(),
                new: String::new()
            }]
        );
        // Adding the role a contact already has changes nothing.
        assert_eq!(
            diff(
                ChangeKind::AddRole,
                &[("role", "manager".to_owned())],
                &[("role", "manager".to_owned())]
            ),
            Err(RequestError::NothingChanges)
        );
    }

    #[test]
    fn fields_of_another_kind_are_not_taken() {
        assert!(ChangeKind::UpdateService.field("phone").is_none());
        assert!(ChangeKind::UpdateOrganisation.field("phone").is_some());
        assert!(diff(
            ChangeKind::UpdateService,
            &[],
            &[("phone", "01234".to_owned())]
        )
        .is_err());
    }

    #[test]
    fn only_a_pending_request_is_decided_and_a_rejection_needs_a_reason() {
        use ChangeStatus::*;
        assert_eq!(Decision::Approve.apply(PendingReview), Ok(Approved));
        let reject = Decision::Reject {
            reason: "Other: More detail required".into(),
        };
        assert_eq!(reject.apply(PendingReview), Ok(Rejected));
        assert_eq!(
            Decision::Reject {
                reason: "   ".into()
            }
            .apply(PendingReview),
            Err(DecisionError::ReasonRequired)
        );
        assert_eq!(
            Decision::Approve.apply(Approved),
            Err(DecisionError::AlreadyDecided("approved"))
        );
        assert_eq!(
            reject.apply(Rejected),
            Err(DecisionError::AlreadyDecided("rejected"))
        );
        assert_eq!(
            Decision::Approve.apply(Rejected),
            Err(DecisionError::AlreadyDecided("rejected"))
        );
    }

    #[test]
    fn codes_round_trip_and_statuses_have_the_guides_colours() {
        for kind in ChangeKind::ALL {
            assert_eq!(ChangeKind::from_code(kind.code()), Some(kind));
        }
        for status in ChangeStatus::ALL {
            assert_eq!(ChangeStatus::from_code(status.code()), Some(status));
        }
        assert!(ChangeStatus::PendingReview.tag_class().ends_with("orange"));
        assert!(ChangeStatus::Approved.tag_class().ends_with("green"));
        assert!(ChangeStatus::Rejected.tag_class().ends_with("red"));
        assert_eq!(ChangeKind::AddRole.label(), "Add Contact Role");
    }

    #[test]
    fn email_addresses_and_roles() {
        assert!(looks_like_email("dawn@example.org"));
        assert!(!looks_like_email("dawn@example"));
        assert!(!looks_like_email("dawn @example.org"));
        assert_eq!(parse_role("finance"), Some(ProviderRole::Finance));
        assert_eq!(parse_role("boss"), None);
    }
}
