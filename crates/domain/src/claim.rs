//! One-off claims (DOMAIN 8): a claim outside the care plan, for a client (a client item) or
//! for the provider itself (a provider item), with a description, a date, an amount, its VAT
//! and a file of evidence. The council approves or rejects it (a rejection says why); an
//! approved claim is paid in the contract's next payment period.
//!
//! Everything here is pure: the SPA checks a draft as the provider types with the same rules
//! the server applies, and the server alone decodes and checks the evidence's bytes.

use time::Date;

use crate::calendar::parse_iso_date;
use crate::Money;

/// The largest evidence file accepted: 5 MB.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;
/// The longest description accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 200;
/// The longest rejection reason accepted, in characters.
pub const MAX_REASON_CHARS: usize = 1000;
/// The longest evidence file name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = crate::attachment::MAX_FILE_NAME_CHARS;

/// A bad field of a claim, named as the API names it. Messages are shown as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFieldError {
    pub field: &'static str,
    pub message: String,
}

impl ClaimFieldError {
    fn new(field: &'static str, message: impl Into<String>) -> ClaimFieldError {
        ClaimFieldError {
            field,
            message: message.into(),
        }
    }
}

/// Whom a claim is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimItem {
    /// For a client with care under the claim's contract.
    Client,
    /// For the provider itself: no client.
    Provider,
}

impl ClaimItem {
    pub fn parse(code: &str) -> Option<ClaimItem> {
        match code {
            "client" => Some(ClaimItem::Client),
            "provider" => Some(ClaimItem::Provider),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ClaimItem::Client => "client",
            ClaimItem::Provider => "provider",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClaimItem::Client => "Client item",
            ClaimItem::Provider => "Provider item",
        }
    }
}

/// Where a claim stands with the council. "Paid" is not a status of its own: it is an
/// approved claim that a finalised payment period paid ([`display_status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimStatus {
    Submitted,
    Approved,
    Rejected,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 3] = [
        ClaimStatus::Submitted,
        ClaimStatus::Approved,
        ClaimStatus::Rejected,
    ];

    pub fn parse(code: &str) -> Option<ClaimStatus> {
        ClaimStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            ClaimStatus::Submitted => "submitted",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Rejected => "rejected",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::Submitted => "Submitted",
            ClaimStatus::Approved => "Approved",
            ClaimStatus::Rejected => "Rejected",
        }
    }

    /// The status a council decision moves a claim to; only a submitted claim is decided,
    /// once.
    pub fn decide(self, decision: &Decision) -> Result<ClaimStatus, String> {
        match self {
            ClaimStatus::Submitted => Ok(match decision {
                Decision::Approve => ClaimStatus::Approved,
                Decision::Reject { .. } => ClaimStatus::Rejected,
            }),
            decided => Err(format!(
                "This claim was already {}: a decision cannot be changed.",
                decided.label().to_lowercase()
            )),
        }
    }
}

/// The status as people read it: an approved claim a finalised period paid reads "Paid".
pub fn display_status(status: ClaimStatus, paid: bool) -> &'static str {
    match (status, paid) {
        (ClaimStatus::Approved, true) => "Paid",
        (status, _) => status.label(),
    }
}

/// A claim as typed, before any rule is checked.
#[derive(Debug, Clone, Default)]
pub struct ClaimDraft<'a> {
    /// `client` or `provider`.
    pub item: &'a str,
    /// The client's id for a client item (whether the client has care under the contract
    /// is the store's to answer).
    pub has_client: bool,
    pub description: &'a str,
    /// ISO `YYYY-MM-DD`.
    pub claim_date: &'a str,
    pub amount: &'a str,
    pub vat: &'a str,
}

/// A claim whose every field follows the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidClaim {
    pub item: ClaimItem,
    pub description: String,
    pub claim_date: Date,
    pub amount: Money,
    pub vat: Money,
}

/// Checks every field of a draft at once, naming each bad one. A claim may not be dated
/// after `today`: it is for something already provided or paid for.
pub fn validate(draft: &ClaimDraft<'_>, today: Date) -> Result<ValidClaim, Vec<ClaimFieldError>> {
    let mut errors = Vec::new();
    let item = ClaimItem::parse(draft.item.trim());
    match item {
        None => errors.push(ClaimFieldError::new(
            "item",
            "must be client (a client item) or provider (a provider item)",
        )),
        Some(ClaimItem::Client) if !draft.has_client => {
            errors.push(ClaimFieldError::new("client_id", "Choose the client"))
        }
        Some(ClaimItem::Provider) if draft.has_client => errors.push(ClaimFieldError::new(
            "client_id",
            "must be empty for a provider item",
        )),
        Some(_) => {}
    }
    let description = draft.description.trim();
    if description.is_empty() {
        errors.push(ClaimFieldError::new(
            "description",
            "Enter what the claim is for",
        ));
    } else if description.chars().count() > MAX_DESCRIPTION_CHARS {
        errors.push(ClaimFieldError::new(
            "description",
            format!("must be at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    let claim_date = match parse_iso_date(draft.claim_date.trim()) {
        Ok(date) if date > today => {
            errors.push(ClaimFieldError::new(
                "claim_date",
                "must be today or in the past",
            ));
            None
        }
        Ok(date) => Some(date),
        Err(_) => {
            errors.push(ClaimFieldError::new(
                "claim_date",
                "must be a real date, like 2022-06-06",
            ));
            None
        }
    };
    let amount = match Money::parse(draft.amount) {
        Ok(amount) if amount.is_zero() => {
            errors.push(ClaimFieldError::new("amount", "must be more than 0"));
            None
        }
        Ok(amount) => Some(amount),
        Err(error) => {
            errors.push(ClaimFieldError::new("amount", error.to_string()));
            None
        }
    };
    let vat = match Money::parse(draft.vat) {
        Ok(vat) => match amount {
            Some(amount) if vat > amount => {
                errors.push(ClaimFieldError::new(
                    "vat",
                    "must not be more than the amount",
                ));
                None
            }
            _ => Some(vat),
        },
        Err(error) => {
            errors.push(ClaimFieldError::new("vat", error.to_string()));
            None
        }
    };
    match (item, claim_date, amount, vat) {
        (Some(item), Some(claim_date), Some(amount), Some(vat)) if errors.is_empty() => {
            Ok(ValidClaim {
                item,
                description: description.to_owned(),
                claim_date,
                amount,
                vat,
            })
        }
        _ => Err(errors),
    }
}

/// The kinds of evidence accepted: PDF, PNG or JPEG (`attachment::PDF_AND_IMAGES`).
pub use crate::attachment::FileType as EvidenceType;

/// An evidence file whose name, type, size and content were checked.
pub type Evidence = crate::attachment::CheckedFile;

/// Checks an evidence file's name, declared type, size and first bytes with the shared
/// checks of [`crate::attachment`], naming each bad part under `evidence.*`.
pub fn check_evidence(
    file_name: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> Result<Evidence, Vec<ClaimFieldError>> {
    use crate::attachment::{self, FilePart, PDF_AND_IMAGES};
    attachment::check(
        file_name,
        content_type,
        bytes,
        &PDF_AND_IMAGES,
        MAX_EVIDENCE_BYTES,
    )
    .map_err(|problems| {
        problems
            .into_iter()
            .map(|problem| {
                let field = match problem.part {
                    FilePart::Name => "evidence.file_name",
                    FilePart::Type | FilePart::Content => "evidence.content_type",
                    FilePart::Size => "evidence.content_base64",
                };
                ClaimFieldError::new(field, problem.message)
            })
            .collect()
    })
}

/// A council decision on a submitted claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    /// Rejected, with the reason the provider is shown.
    Reject {
        reason: String,
    },
}

impl Decision {
    /// From the API's `decision` and `reason`: a rejection needs a reason.
    pub fn parse(decision: &str, reason: Option<&str>) -> Result<Decision, Vec<ClaimFieldError>> {
        let reason = reason.map(str::trim).unwrap_or_default();
        match decision.trim() {
            "approve" => Ok(Decision::Approve),
            "reject" if reason.is_empty() => Err(vec![ClaimFieldError::new(
                "reason",
                "Enter why the claim is rejected",
            )]),
            "reject" if reason.chars().count() > MAX_REASON_CHARS => {
                Err(vec![ClaimFieldError::new(
                    "reason",
                    format!("must be at most {MAX_REASON_CHARS} characters"),
                )])
            }
            "reject" => Ok(Decision::Reject {
                reason: reason.to_owned(),
            }),
            _ => Err(vec![ClaimFieldError::new(
                "decision",
                "must be approve or reject",
            )]),
        }
    }

    pub fn reason(&self) -> &str {
        match self {
            Decision::Approve => "",
            Decision::Reject { reason } => reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2022 - 06 - 13);

    fn draft<'a>() -> ClaimDraft<'a> {
        ClaimDraft {
            item: "client",
            has_client: true,
            description: "Taxi to hospital appointment",
            claim_date: "2022-06-06",
            amount: "45.50",
            vat: "0",
        }
    }

    fn fields(errors: &[ClaimFieldError]) -> Vec<&'static str> {
        errors.iter().map(|error| error.field).collect()
    }

    #[test]
    fn a_good_client_item_is_valid() {
        let claim = validate(&draft(), TODAY).expect("valid");
        assert_eq!(claim.item, ClaimItem::Client);
        assert_eq!(claim.amount.hundredths(), 4550);
        assert_eq!(claim.vat.hundredths(), 0);
        assert_eq!(claim.claim_date, date!(2022 - 06 - 06));
        assert_eq!(claim.description, "Taxi to hospital appointment");
    }

    #[test]
    fn a_provider_item_has_no_client() {
        let provider = ClaimDraft {
            item: "provider",
            has_client: false,
            vat: "2.00",
            ..draft()
        };
        assert_eq!(
            validate(&provider, TODAY).expect("valid").item,
            ClaimItem::Provider
        );
        let with_client = ClaimDraft {
            has_client: true,
            ..provider
        };
        assert_eq!(
            fields(&validate(&with_client, TODAY).unwrap_err()),
            ["client_id"]
        );
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let bad = ClaimDraft {
            item: "client",
            has_client: false,
            description: "  ",
            claim_date: "2022-02-30",
            amount: "0",
            vat: "1.234",
        };
        assert_eq!(
            fields(&validate(&bad, TODAY).unwrap_err()),
            ["client_id", "description", "claim_date", "amount", "vat"]
        );
    }

    #[test]
    fn amounts_are_positive_with_at_most_two_places() {
        for (amount, ok) in [
            ("0.01", true),
            ("1072.30", true),
            ("0", false),
            ("-5", false),
            ("1.005", false),
            ("ten", false),
            ("", false),
        ] {
            let claim = ClaimDraft { amount, ..draft() };
            assert_eq!(validate(&claim, TODAY).is_ok(), ok, "{amount}");
        }
    }

    #[test]
    fn vat_is_never_negative_nor_more_than_the_amount() {
        for (vat, ok) in [
            ("0", true),
            ("9.10", true),
            ("45.50", true),
            ("45.51", false),
            ("-1", false),
        ] {
            let claim = ClaimDraft { vat, ..draft() };
            assert_eq!(validate(&claim, TODAY).is_ok(), ok, "{vat}");
        }
    }

    #[test]
    fn a_claim_is_not_dated_in_the_future() {
        let tomorrow = ClaimDraft {
            claim_date: "2022-06-14",
            ..draft()
        };
        assert_eq!(
            fields(&validate(&tomorrow, TODAY).unwrap_err()),
            ["claim_date"]
        );
        let today = ClaimDraft {
            claim_date: "2022-06-13",
            ..draft()
        };
        assert!(validate(&today, TODAY).is_ok());
    }

    #[test]
    fn evidence_must_be_what_it_says_it_is() {
        let pdf = b"%PDF-1.4\n%...".to_vec();
        let evidence = check_evidence("receipt.pdf", "application/pdf", pdf.clone()).unwrap();
        assert_eq!(evidence.kind, EvidenceType::Pdf);
        assert_eq!(evidence.file_name, "receipt.pdf");
        let png = b"\x89PNG\r\n\x1a\n....".to_vec();
        assert!(check_evidence("a.png", "image/png", png.clone()).is_ok());
        assert!(check_evidence("a.jpg", "image/jpeg", vec![0xFF, 0xD8, 0xFF, 0xE0]).is_ok());
        // A PNG declared as a PDF is refused by its content.
        assert_eq!(
            fields(&check_evidence("a.pdf", "application/pdf", png).unwrap_err()),
            ["evidence.content_type"]
        );
        // Other types are refused whatever they hold.
        assert_eq!(
            fields(&check_evidence("a.txt", "text/plain", pdf).unwrap_err()),
            ["evidence.content_type"]
        );
    }

    #[test]
    fn evidence_is_at_most_five_megabytes_and_not_empty() {
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_EVIDENCE_BYTES + 1, b' ');
        assert_eq!(
            fields(&check_evidence("big.pdf", "application/pdf", big).unwrap_err()),
            ["evidence.content_base64"]
        );
        let mut largest = b"%PDF-".to_vec();
        largest.resize(MAX_EVIDENCE_BYTES, b' ');
        assert!(check_evidence("big.pdf", "application/pdf", largest).is_ok());
        assert_eq!(
            fields(&check_evidence("", "application/pdf", Vec::new()).unwrap_err()),
            ["evidence.file_name", "evidence.content_base64"]
        );
    }

    #[test]
    fn a_file_name_keeps_only_its_last_part() {
        let evidence = check_evidence(
            "C:\\Users\\me\\re\"ceipt.pdf",
            "application/pdf",
            b"%PDF-".to_vec(),
        )
        .unwrap();
        assert_eq!(evidence.file_name, "receipt.pdf");
    }

    #[test]
    fn a_rejection_needs_a_reason_and_a_decision_is_final() {
        assert_eq!(Decision::parse("approve", None), Ok(Decision::Approve));
        assert_eq!(
            fields(&Decision::parse("reject", Some("  ")).unwrap_err()),
            ["reason"]
        );
        assert_eq!(
            fields(&Decision::parse("maybe", None).unwrap_err()),
            ["decision"]
        );
        let reject = Decision::parse("reject", Some(" No receipt ")).unwrap();
        assert_eq!(reject.reason(), "No receipt");
        assert_eq!(
            ClaimStatus::Submitted.decide(&reject),
            Ok(ClaimStatus::Rejected)
        );
        assert_eq!(
            ClaimStatus::Submitted.decide(&Decision::Approve),
            Ok(ClaimStatus::Approved)
        );
        assert!(ClaimStatus::Approved.decide(&reject).is_err());
        assert!(ClaimStatus::Rejected.decide(&Decision::Approve).is_err());
    }

    #[test]
    fn an_approved_claim_once_paid_reads_paid() {
        assert_eq!(display_status(ClaimStatus::Approved, true), "Paid");
        assert_eq!(display_status(ClaimStatus::Approved, false), "Approved");
        assert_eq!(display_status(ClaimStatus::Submitted, false), "Submitted");
        for status in ClaimStatus::ALL {
            assert_eq!(ClaimStatus::parse(status.code()), Some(status));
        }
    }
}
