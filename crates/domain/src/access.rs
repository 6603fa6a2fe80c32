//! Who may do what: a provider contact's role in an organisation (DOMAIN 1), and the scopes
//! a tool's client credentials carry. The server enforces these; the SPA reads the same
//! table to hide what a role may not do.

/// A provider contact's role in one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderRole {
    /// Claims and payments: actuals, confirmations, invoices, remittances.
    Finance,
    /// Runs the organisation: everything a provider may do.
    Manager,
    /// The office: contact details, change requests, actions and documents. Reads actuals
    /// and payments but does not change them.
    Administration,
}

/// A kind of change a provider contact may or may not make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderTask {
    /// Enter, generate, amend and confirm actuals.
    RecordActuals,
    /// Confirm payment periods, raise invoices and credit notes.
    ClaimPayment,
    /// Ask for changes to organisation, service and contact details; answer actions.
    KeepDetails,
}

impl ProviderRole {
    pub fn parse(code: &str) -> Option<ProviderRole> {
        match code {
            "finance" => Some(ProviderRole::Finance),
            "manager" => Some(ProviderRole::Manager),
            "administration" => Some(ProviderRole::Administration),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ProviderRole::Finance => "finance",
            ProviderRole::Manager => "manager",
            ProviderRole::Administration => "administration",
        }
    }

    /// As the SPA shows it.
    pub fn label(self) -> &'static str {
        match self {
            ProviderRole::Finance => "Finance",
            ProviderRole::Manager => "Manager",
            ProviderRole::Administration => "Administration",
        }
    }

    /// The permission table: one place, read by the server and the SPA.
    pub fn may(self, task: ProviderTask) -> bool {
        match (self, task) {
            (ProviderRole::Manager, _) => true,
            (ProviderRole::Finance, ProviderTask::RecordActuals | ProviderTask::ClaimPayment) => {
                true
            }
            (ProviderRole::Finance, ProviderTask::KeepDetails) => false,
            (ProviderRole::Administration, ProviderTask::KeepDetails) => true,
            (
                ProviderRole::Administration,
                ProviderTask::RecordActuals | ProviderTask::ClaimPayment,
            ) => false,
        }
    }
}

/// What a tool's credentials may be issued for (OAuth 2.0 scopes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolScope {
    /// Read services and care package line items (with their clients).
    ReadCplis,
    /// Read weeks of actuals.
    ReadActuals,
    /// Write and generate actuals.
    WriteActuals,
}

impl ToolScope {
    pub const ALL: [ToolScope; 3] = [
        ToolScope::ReadCplis,
        ToolScope::ReadActuals,
        ToolScope::WriteActuals,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ToolScope::ReadCplis => "cplis:read",
            ToolScope::ReadActuals => "actuals:read",
            ToolScope::WriteActuals => "actuals:write",
        }
    }

    pub fn parse(code: &str) -> Option<ToolScope> {
        ToolScope::ALL
            .into_iter()
            .find(|scope| scope.code() == code)
    }

    pub fn description(self) -> &'static str {
        match self {
            ToolScope::ReadCplis => "Read services and care package line items, with their clients",
            ToolScope::ReadActuals => "Read weeks of actuals",
            ToolScope::WriteActuals => "Enter and generate actuals",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_do_everything_and_the_others_their_own_work() {
        use ProviderTask::*;
        for task in [RecordActuals, ClaimPayment, KeepDetails] {
            assert!(ProviderRole::Manager.may(task));
        }
        assert!(ProviderRole::Finance.may(RecordActuals));
        assert!(ProviderRole::Finance.may(ClaimPayment));
        assert!(!ProviderRole::Finance.may(KeepDetails));
        assert!(ProviderRole::Administration.may(KeepDetails));
        assert!(!ProviderRole::Administration.may(RecordActuals));
        assert!(!ProviderRole::Administration.may(ClaimPayment));
    }

    #[test]
    fn roles_and_scopes_round_trip_their_codes() {
        for role in [
            ProviderRole::Finance,
            ProviderRole::Manager,
            ProviderRole::Administration,
        ] {
            assert_eq!(ProviderRole::parse(role.code()), Some(role));
        }
        for scope in ToolScope::ALL {
            assert_eq!(ToolScope::parse(scope.code()), Some(scope));
        }
        assert_eq!(ToolScope::parse("admin"), None);
        assert_eq!(ProviderRole::parse("Finance"), None);
    }
}
