//! E-mail notifications and webhooks (DOMAIN 13): the topics a contact subscribes to, the
//! events integrators receive, how a failed delivery is retried, and the daily digest's text.
//! Delivery itself (SMTP, HTTP, the outbox) is the server's.

use std::fmt::Write as _;

/// What a contact may subscribe to, per organisation, as the guides' Email Notifications
/// screen lists it: daily topics gathered into one digest, and two immediate ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    Actions,
    CarePackageLineItems,
    ContractDocuments,
    Disputes,
    InvoicesCreditNotes,
    PaymentsExceptions,
    ScheduledPayments,
    /// An action assigned to the provider, or answered, mailed at once.
    ActionsImmediate,
    /// The contact's own password changed, mailed at once.
    PasswordChange,
}

impl Topic {
    pub const ALL: [Topic; 9] = [
        Topic::Actions,
        Topic::CarePackageLineItems,
        Topic::ContractDocuments,
        Topic::Disputes,
        Topic::InvoicesCreditNotes,
        Topic::PaymentsExceptions,
        Topic::ScheduledPayments,
        Topic::ActionsImmediate,
        Topic::PasswordChange,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Topic::Actions => "actions",
            Topic::CarePackageLineItems => "care_package_line_items",
            Topic::ContractDocuments => "contract_documents",
            Topic::Disputes => "disputes",
            Topic::InvoicesCreditNotes => "invoices_credit_notes",
            Topic::PaymentsExceptions => "payments_exceptions",
            Topic::ScheduledPayments => "scheduled_payments",
            Topic::ActionsImmediate => "actions_immediate",
            Topic::PasswordChange => "password_change",
        }
    }

    /// The label on the subscription page, as the guides word it.
    pub fn label(self) -> &'static str {
        match self {
            Topic::Actions => "Actions",
            Topic::CarePackageLineItems => "Care Package Line Items",
            Topic::ContractDocuments => "Contract Documents",
            Topic::Disputes => "Disputes",
            Topic::InvoicesCreditNotes => "Invoices/Credit Notes",
            Topic::PaymentsExceptions => "Payments Exceptions",
            Topic::ScheduledPayments => "Scheduled Payments",
            Topic::ActionsImmediate => "Actions (Immediate)",
            Topic::PasswordChange => "Password Change (Immediate)",
        }
    }

    /// What the subscription page says the topic brings.
    pub fn hint(self) -> &'static str {
        match self {
            Topic::ActionsImmediate => {
                "An e-mail at once when an action is assigned to you or answered"
            }
            Topic::PasswordChange => "An e-mail at once when your password is changed",
            _ => "New items and changes, in one e-mail a day",
        }
    }

    /// Mailed as it happens, rather than gathered into the daily digest.
    pub fn is_immediate(self) -> bool {
        matches!(self, Topic::ActionsImmediate | Topic::PasswordChange)
    }

    pub fn parse(code: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|topic| topic.code() == code)
    }
}

/// The events a council's webhooks may receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebhookEvent {
    DisputeRaised,
    ActionAssigned,
    InvoiceStatusChanged,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 3] = [
        WebhookEvent::DisputeRaised,
        WebhookEvent::ActionAssigned,
        WebhookEvent::InvoiceStatusChanged,
    ];

    /// The `type` of the JSON event and the `X-Portal-Event` header.
    pub fn code(self) -> &'static str {
        match self {
            WebhookEvent::DisputeRaised => "dispute.raised",
            WebhookEvent::ActionAssigned => "action.assigned",
            WebhookEvent::InvoiceStatusChanged => "invoice.status_changed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WebhookEvent::DisputeRaised => "Dispute raised",
            WebhookEvent::ActionAssigned => "Action assigned",
            WebhookEvent::InvoiceStatusChanged => "Invoice status changed",
        }
    }

    pub fn parse(code: &str) -> Option<WebhookEvent> {
        WebhookEvent::ALL
            .into_iter()
            .find(|event| event.code() == code)
    }
}

/// How often a delivery is tried before it is marked failed (and left for people to see).
pub const MAX_DELIVERY_ATTEMPTS: i64 = 8;

/// Seconds to wait after the `attempts`-th failed try: 1, 2, 4, 8 ... minutes, at most 2 hours,
/// so a receiver down for a morning still gets its mail.
pub fn retry_delay_seconds(attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 8) - 1;
    (60_i64 << doublings).min(2 * 60 * 60)
}

/// Whether a delivery that failed on its `attempts`-th try is tried again.
pub fn retries_left(attempts: i64) -> bool {
    attempts < MAX_DELIVERY_ATTEMPTS
}

/// One event owed to a person's digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestEntry {
    pub topic: Topic,
    pub organisation: String,
    pub summary: String,
    /// An absolute link to the item in the portal.
    pub link: String,
}

/// The daily digest's subject.
pub fn digest_subject(entries: usize) -> String {
    match entries {
        1 => "Care Provider Portal: 1 update today".to_owned(),
        count => format!("Care Provider Portal: {count} updates today"),
    }
}

/// The daily digest's plain-text body: the entries grouped by organisation and then by topic
/// in the subscription page's order, each with its link, and how to change subscriptions.
pub fn digest_body(name: &str, entries: &[DigestEntry], subscriptions_link: &str) -> String {
    let mut sorted: Vec<&DigestEntry> = entries.iter().collect();
    // Stable: entries keep the order they happened in within a topic.
    sorted.sort_by(|a, b| (&a.organisation, a.topic).cmp(&(&b.organisation, b.topic)));
    let mut body = format!("Dear {name},\n\nHere is what changed in the Care Provider Portal.\n");
    let mut heading: Option<(&str, Topic)> = None;
    for entry in sorted {
        if heading != Some((entry.organisation.as_str(), entry.topic)) {
            let _ = write!(body, "\n{} - {}\n", entry.organisation, entry.topic.label());
            heading = Some((entry.organisation.as_str(), entry.topic));
        }
        let _ = writeln!(body, "- {}\n  {}", entry.summary, entry.link);
    }
    let _ = write!(
        body,
        "\nTo change which e-mails you receive, go to Email Notifications: {subscriptions_link}\n"
    );
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_and_event_reads_back_from_its_code() {
        for topic in Topic::ALL {
            assert_eq!(Topic::parse(topic.code()), Some(topic));
        }
        for event in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::parse(event.code()), Some(event));
        }
        assert_eq!(Topic::parse("everything"), None);
    }

    #[test]
    fn only_actions_and_password_change_are_immediate() {
        let immediate: Vec<Topic> = Topic::ALL
            .into_iter()
            .filter(|topic| topic.is_immediate())
            .collect();
        assert_eq!(
            immediate,
            vec![Topic::ActionsImmediate, Topic::PasswordChange]
        );
    }

    #[test]
    fn retries_back_off_and_give_up() {
        assert_eq!(retry_delay_seconds(1), 60);
        assert_eq!(retry_delay_seconds(2), 120);
        assert_eq!(retry_delay_seconds(4), 480);
        assert_eq!(retry_delay_seconds(20), 7200);
        assert!(retries_left(MAX_DELIVERY_ATTEMPTS - 1));
        assert!(!retries_left(MAX_DELIVERY_ATTEMPTS));
    }

    #[test]
    fn the_digest_groups_by_organisation_and_topic() {
        let entry = |topic, organisation: &str, summary: &str| DigestEntry {
            topic,
            organisation: organisation.to_owned(),
            summary: summary.to_owned(),
            link: format!("https://portal.example/{summary}"),
        };
        let body = digest_body(
            "Jo Hunter",
            &[
                entry(Topic::Disputes, "Ally Pally", "second dispute"),
                entry(Topic::Actions, "Ally Pally", "an action"),
                entry(Topic::Disputes, "Ally Pally", "third dispute"),
            ],
            "https://portal.example/email-notifications",
        );
        let actions = body.find("Ally Pally - Actions").unwrap();
        let disputes = body.find("Ally Pally - Disputes").unwrap();
        assert!(actions < disputes);
        assert_eq!(body.matches("Ally Pally - Disputes").count(), 1);
        assert!(body.find("second dispute").unwrap() < body.find("third dispute").unwrap());
        assert!(body.starts_with("Dear Jo Hunter,"));
        assert!(body.contains("https://portal.example/email-notifications"));
        assert_eq!(digest_subject(3), "Care Provider Portal: 3 updates today");
    }
}
