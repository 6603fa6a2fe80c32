//! Contract documents (DOMAIN 11): a PDF the council publishes for a service (optionally for
//! one client), which the provider agrees or rejects. Both decisions are signatures; only a
//! published document can be decided, a rejection needs a reason, and the council may
//! terminate a document at any time. Nothing is deleted.

/// Where a document stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentStatus {
    Published,
    Agreed,
    Rejected,
    Terminated,
}

impl DocumentStatus {
    pub const ALL: [DocumentStatus; 4] = [
        DocumentStatus::Published,
        DocumentStatus::Agreed,
        DocumentStatus::Rejected,
        DocumentStatus::Terminated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentStatus::Published => "published",
            DocumentStatus::Agreed => "agreed",
            DocumentStatus::Rejected => "rejected",
            DocumentStatus::Terminated => "terminated",
        }
    }

    pub fn from_code(code: &str) -> Option<DocumentStatus> {
        DocumentStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }

    /// As the Contract Documents screen shows it.
    pub fn label(self) -> &'static str {
        match self {
            DocumentStatus::Published => "Published",
            DocumentStatus::Agreed => "Agreed",
            DocumentStatus::Rejected => "Rejected",
            DocumentStatus::Terminated => "Terminated",
        }
    }
}

/// The provider's answer to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Agree,
    Reject,
}

impl Decision {
    pub fn parse(code: &str) -> Option<Decision> {
        match code {
            "agree" | "agreed" => Some(Decision::Agree),
            "reject" | "rejected" => Some(Decision::Reject),
            _ => None,
        }
    }

    /// The status the decision leaves the document in (and the signature's decision).
    pub fn status(self) -> DocumentStatus {
        match self {
            Decision::Agree => DocumentStatus::Agreed,
            Decision::Reject => DocumentStatus::Rejected,
        }
    }
}

/// Why a step cannot be taken now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentStepError {
    #[error("This document is {0}: only a published document can be agreed or rejected.")]
    NotPublished(&'static str),
    #[error("This document is already terminated.")]
    AlreadyTerminated,
}

/// The status a provider's decision leaves a document in, or why it cannot be made.
pub fn decide(
    status: DocumentStatus,
    decision: Decision,
) -> Result<DocumentStatus, DocumentStepError> {
    match status {
        DocumentStatus::Published => Ok(decision.status()),
        other => Err(DocumentStepError::NotPublished(other.label())),
    }
}

/// Terminating a document the council no longer holds to: from any status but Terminated.
pub fn terminate(status: DocumentStatus) -> Result<DocumentStatus, DocumentStepError> {
    match status {
        DocumentStatus::Terminated => Err(DocumentStepError::AlreadyTerminated),
        _ => Ok(DocumentStatus::Terminated),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_published_document_is_decided_once() {
        assert_eq!(
            decide(DocumentStatus::Published, Decision::Agree),
            Ok(DocumentStatus::Agreed)
        );
        assert_eq!(
            decide(DocumentStatus::Published, Decision::Reject),
            Ok(DocumentStatus::Rejected)
        );
        for status in [
            DocumentStatus::Agreed,
            DocumentStatus::Rejected,
            DocumentStatus::Terminated,
        ] {
            assert!(decide(status, Decision::Agree).is_err(), "{status:?}");
        }
    }

    #[test]
    fn any_document_but_a_terminated_one_is_terminated() {
        for status in [
            DocumentStatus::Published,
            DocumentStatus::Agreed,
            DocumentStatus::Rejected,
        ] {
            assert_eq!(terminate(status), Ok(DocumentStatus::Terminated));
        }
        assert_eq!(
            terminate(DocumentStatus::Terminated),
            Err(DocumentStepError::AlreadyTerminated)
        );
        for status in DocumentStatus::ALL {
            assert_eq!(DocumentStatus::from_code(status.code()), Some(status));
        }
        assert_eq!(Decision::parse("agree"), Some(Decision::Agree));
        assert_eq!(Decision::parse("maybe"), None);
    }
}
