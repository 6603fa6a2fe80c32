//! Invoices and credit notes (DOMAIN 6), for contracts paid "invoiced, pay on actuals".
//!
//! An invoice's items are commitments: one client's care at one service in one financial
//! year. An item's value is what the period's recorded actuals paid for (Actual +
//! Frustrated units x the line's rate) inside that financial year: a timetabled line's
//! sessions count on their own day, and any other line's week is split across 31 March pro
//! rata by days. Each item is rounded half away from zero to the penny, its VAT too; totals
//! are sums of items. A credit note is the same with negative items.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::actual::sessions::SessionRow;
use crate::amount::round_to_penny;
use crate::calendar::{FinancialYear, Week};

/// An invoice, or a credit note (its items are negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InvoiceKind {
    Invoice,
    CreditNote,
}

impl InvoiceKind {
    pub const ALL: [InvoiceKind; 2] = [InvoiceKind::Invoice, InvoiceKind::CreditNote];

    pub fn code(self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "invoice",
            InvoiceKind::CreditNote => "credit_note",
        }
    }

    pub fn parse(code: &str) -> Option<InvoiceKind> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "Invoice",
            InvoiceKind::CreditNote => "Credit note",
        }
    }

    /// +1 for an invoice, -1 for a credit note: the sign of its items.
    pub fn sign(self) -> Decimal {
        match self {
            InvoiceKind::Invoice => Decimal::ONE,
            InvoiceKind::CreditNote => Decimal::NEGATIVE_ONE,
        }
    }
}

/// What a new invoice covers (the guides advise a contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InvoiceScope {
    Organisation,
    Contract,
    Service,
    Client,
}

impl InvoiceScope {
    pub const ALL: [InvoiceScope; 4] = [
        InvoiceScope::Organisation,
        InvoiceScope::Contract,
        InvoiceScope::Service,
        InvoiceScope::Client,
    ];

    pub fn code(self) -> &'static str {
        match self {
            InvoiceScope::Organisation => "organisation",
            InvoiceScope::Contract => "contract",
            InvoiceScope::Service => "service",
            InvoiceScope::Client => "client",
        }
    }

    pub fn parse(code: &str) -> Option<InvoiceScope> {
        Self::ALL.into_iter().find(|scope| scope.code() == code)
    }
}

/// Where an invoice is in its life. Deleting is a status too: nothing is ever removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InvoiceStatus {
    Unsubmitted,
    /// Submitted, waiting for the council.
    Pending,
    Authorised,
    /// Paid: passed to the payment system.
    Finalised,
    OnHold,
    /// Sent back by the council for correction; the provider may edit it again.
    Returned,
    Deleted,
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 7] = [
        InvoiceStatus::Unsubmitted,
        InvoiceStatus::Pending,
        InvoiceStatus::Authorised,
        InvoiceStatus::Finalised,
        InvoiceStatus::OnHold,
        InvoiceStatus::Returned,
        InvoiceStatus::Deleted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            InvoiceStatus::Unsubmitted => "unsubmitted",
            InvoiceStatus::Pending => "pending",
            InvoiceStatus::Authorised => "authorised",
            InvoiceStatus::Finalised => "finalised",
            InvoiceStatus::OnHold => "on_hold",
            InvoiceStatus::Returned => "returned",
            InvoiceStatus::Deleted => "deleted",
        }
    }

    pub fn parse(code: &str) -> Option<InvoiceStatus> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    /// As the screens show it: "Unsubmitted", "On Hold", ...
    pub fn label(self) -> &'static str {
        match self {
            InvoiceStatus::Unsubmitted => "Unsubmitted",
            InvoiceStatus::Pending => "Pending",
            InvoiceStatus::Authorised => "Authorised",
            InvoiceStatus::Finalised => "Finalised",
            InvoiceStatus::OnHold => "On Hold",
            InvoiceStatus::Returned => "Returned",
            InvoiceStatus::Deleted => "Deleted",
        }
    }

    /// Only an invoice not yet with the council (or returned by it) may change.
    pub fn is_editable(self) -> bool {
        matches!(self, InvoiceStatus::Unsubmitted | InvoiceStatus::Returned)
    }

    /// A submitted invoice locks the actuals it is made of (DOMAIN 4.7).
    pub fn locks_actuals(self) -> bool {
        matches!(
            self,
            InvoiceStatus::Pending
                | InvoiceStatus::Authorised
                | InvoiceStatus::Finalised
                | InvoiceStatus::OnHold
        )
    }

    /// The status `action` leads to, or why it cannot be taken now.
    pub fn after(self, action: InvoiceAction) -> Result<InvoiceStatus, TransitionError> {
        use InvoiceAction as A;
        use InvoiceStatus as S;
        let next = match (action, self) {
            (A::Submit, S::Unsubmitted | S::Returned) => S::Pending,
            (A::Delete, S::Unsubmitted | S::Returned) => S::Deleted,
            (A::Authorise, S::Pending | S::OnHold) => S::Authorised,
            (A::Finalise, S::Authorised) => S::Finalised,
            (A::Hold, S::Pending | S::Authorised) => S::OnHold,
            (A::Return, S::Pending | S::Authorised | S::OnHold) => S::Returned,
            _ => {
                return Err(TransitionError {
                    action,
                    status: self,
                })
            }
        };
        Ok(next)
    }
}

/// What the provider (submit, delete) or the council (the rest) does to an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InvoiceAction {
    Submit,
    Delete,
    Authorise,
    Finalise,
    Hold,
    Return,
}

impl InvoiceAction {
    pub fn code(self) -> &'static str {
        match self {
            InvoiceAction::Submit => "submit",
            InvoiceAction::Delete => "delete",
            InvoiceAction::Authorise => "authorise",
            InvoiceAction::Finalise => "finalise",
            InvoiceAction::Hold => "hold",
            InvoiceAction::Return => "return",
        }
    }

    /// True for the council's actions.
    pub fn is_council_staffs(self) -> bool {
        !matches!(self, InvoiceAction::Submit | InvoiceAction::Delete)
    }
}

/// An action the invoice's status does not allow; the message is shown as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("This invoice is {}: it cannot be {} now.", status.label(), verb(*action))]
pub struct TransitionError {
    pub action: InvoiceAction,
    pub status: InvoiceStatus,
}

fn verb(action: InvoiceAction) -> &'static str {
    match action {
        InvoiceAction::Submit => "submitted",
        InvoiceAction::Delete => "deleted",
        InvoiceAction::Authorise => "authorised",
        InvoiceAction::Finalise => "finalised",
        InvoiceAction::Hold => "put on hold",
        InvoiceAction::Return => "returned",
    }
}

/// What one recorded actual line paid for in its week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaidUnits {
    /// A timetabled line's session rows: Actual + Frustrated units on each day, Monday first.
    ByDay([Decimal; 7]),
    /// Any other line (or a timetabled line recorded as plain figures): the week's units.
    Week(Decimal),
}

impl PaidUnits {
    /// Paid units of a timetabled line's rows, day by day: every ticked day of a row,
    /// delivered or frustrated, is paid.
    pub fn from_rows(rows: &[SessionRow]) -> PaidUnits {
        PaidUnits::ByDay(std::array::from_fn(|day| {
            rows.iter()
                .filter(|row| row.days.0[day])
                .map(|row| row.quantity.value())
                .sum()
        }))
    }
}

/// One line's week: its paid units and the rate it was priced at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidWeek {
    pub week: Week,
    pub units: PaidUnits,
    pub rate: Decimal,
}

impl PaidWeek {
    /// The week's exact (unrounded) value in each financial year it touches: sessions on
    /// their day; a whole week's units pro rata by the days in each year.
    pub fn value_by_year(&self) -> Vec<(FinancialYear, Decimal)> {
        let mut by_year: BTreeMap<FinancialYear, Decimal> = BTreeMap::new();
        let days = self.week.days();
        match &self.units {
            PaidUnits::ByDay(units) => {
                for (day, units) in days.iter().zip(units) {
                    *by_year.entry(FinancialYear::containing(*day)).or_default() +=
                        *units * self.rate;
                }
            }
            PaidUnits::Week(units) => {
                let week_value = *units * self.rate;
                for day in days {
                    *by_year.entry(FinancialYear::containing(day)).or_default() +=
                        week_value / Decimal::from(7);
                }
                // Sevenths do not always add back up exactly: the year holding the Monday
                // takes the remainder, so the parts always sum to the whole week.
                let parts: Decimal = by_year.values().copied().sum();
                if let Some(first) = by_year.get_mut(&FinancialYear::containing(days[0])) {
                    *first += week_value - parts;
                }
            }
        }
        by_year.into_iter().collect()
    }
}

/// The values of one client's commitments at a service over a period, per financial year,
/// each rounded half away from zero to the penny.
pub fn commitment_values(weeks: &[PaidWeek]) -> BTreeMap<FinancialYear, Decimal> {
    let mut exact: BTreeMap<FinancialYear, Decimal> = BTreeMap::new();
    for week in weeks {
        for (year, value) in week.value_by_year() {
            *exact.entry(year).or_default() += value;
        }
    }
    exact
        .into_iter()
        .map(|(year, value)| (year, round_to_penny(value)))
        .collect()
}

/// "Angelo, Iris (A1) - 2021/2022", as the guides name a commitment.
pub fn commitment_label(surname: &str, forename: &str, ssref: &str, year: FinancialYear) -> String {
    format!("{surname}, {forename} ({ssref}) - {}", year.label())
}

/// One item's amounts, each already to the penny (negative on a credit note).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemAmounts {
    pub value: Decimal,
    pub vat: Decimal,
    pub contribution: Decimal,
}

impl ItemAmounts {
    /// A commitment's value as an item of `kind`, with VAT at `vat_rate_percent` rounded
    /// for this item alone.
    pub fn new(
        kind: InvoiceKind,
        value: Decimal,
        vat_rate_percent: Decimal,
        contribution: Decimal,
    ) -> ItemAmounts {
        let value = round_to_penny(value.abs() * kind.sign());
        ItemAmounts {
            value,
            vat: crate::payment::vat_on(value, vat_rate_percent),
            contribution: round_to_penny(contribution),
        }
    }
}

/// The header's figures: what the provider entered, what the items add up to, the
/// difference, and what is payable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceTotals {
    pub entered_ex_vat: Decimal,
    pub entered_vat: Decimal,
    pub items_ex_vat: Decimal,
    pub items_vat: Decimal,
    pub contributions: Decimal,
    /// Entered less items, ex VAT.
    pub short_by_ex_vat: Decimal,
    pub short_by_vat: Decimal,
    /// Items ex VAT + VAT - contributions.
    pub payable: Decimal,
}

impl InvoiceTotals {
    /// Totals over the included items: sums of lines already rounded.
    pub fn of(items: &[ItemAmounts], entered_ex_vat: Decimal, entered_vat: Decimal) -> Self {
        let items_ex_vat: Decimal = items.iter().map(|item| item.value).sum();
        let items_vat: Decimal = items.iter().map(|item| item.vat).sum();
        let contributions: Decimal = items.iter().map(|item| item.contribution).sum();
        InvoiceTotals {
            entered_ex_vat,
            entered_vat,
            items_ex_vat,
            items_vat,
            contributions,
            short_by_ex_vat: entered_ex_vat - items_ex_vat,
            short_by_vat: entered_vat - items_vat,
            payable: items_ex_vat + items_vat - contributions,
        }
    }
}

/// "This week is on invoice INV-42 (Pending), submitted on 25/04/2022.": why a submitted
/// invoice's actuals refuse changes.
pub fn lock_reason(reference: &str, status: InvoiceStatus, submitted_on: time::Date) -> String {
    format!(
        "This week is on invoice {reference} ({}), submitted on {}.",
        status.label(),
        crate::format::format_date(submitted_on)
    )
}

/// The largest supporting VAT invoice accepted (its types are
/// `attachment::PDF_AND_IMAGES`, checked by `attachment::check`).
pub const ATTACHMENT_MAX_BYTES: usize = 5 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amount::Quantity;
    use crate::cpli::Weekdays;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn rows(days: &[&[&str]], frustrated: &[bool]) -> Vec<SessionRow> {
        days.iter()
            .zip(frustrated)
            .map(|(days, frustrated)| SessionRow {
                days: Weekdays::from_codes(days).unwrap(),
                quantity: Quantity::parse("1").unwrap(),
                frustrated: *frustrated,
                comment: String::new(),
            })
            .collect()
    }

    fn week(monday: time::Date, units: PaidUnits) -> PaidWeek {
        PaidWeek {
            week: Week::starting(monday).unwrap(),
            units,
            rate: dec!(214.46),
        }
    }

    #[test]
    fn e17_iris_angelos_period_is_two_commitments() {
        let planned = || rows(&[&["mon", "wed", "fri"], &["tue", "thu"]], &[false, false]);
        let weeks = [
            week(date!(2022 - 03 - 28), PaidUnits::from_rows(&planned())),
            week(
                date!(2022 - 04 - 04),
                PaidUnits::from_rows(&rows(&[&["mon"], &["tue", "thu"]], &[false, false])),
            ),
            week(
                date!(2022 - 04 - 11),
                PaidUnits::from_rows(&rows(
                    &[&["mon", "wed", "fri"], &["tue"], &["thu"]],
                    &[false, false, true],
                )),
            ),
            week(date!(2022 - 04 - 18), PaidUnits::from_rows(&planned())),
        ];
        let values = commitment_values(&weeks);
        let old = FinancialYear::starting_in(2021);
        let new = FinancialYear::starting_in(2022);
        assert_eq!(values[&old], dec!(857.84));
        assert_eq!(values[&new], dec!(3002.44));
        let items: Vec<ItemAmounts> = [values[&old], values[&new]]
            .into_iter()
            .map(|value| ItemAmounts::new(InvoiceKind::Invoice, value, dec!(20), Decimal::ZERO))
            .collect();
        assert_eq!(items[0].vat, dec!(171.57));
        assert_eq!(items[1].vat, dec!(600.49));
        let totals = InvoiceTotals::of(&items, dec!(3860.28), dec!(772.06));
        assert_eq!(totals.items_ex_vat, dec!(3860.28));
        assert_eq!(totals.items_vat, dec!(772.06));
        assert_eq!(totals.payable, dec!(4632.34));
        assert_eq!(totals.short_by_ex_vat, Decimal::ZERO);
        assert_eq!(
            commitment_label("Angelo", "Iris", "A1", old),
            "Angelo, Iris (A1) - 2021/2022"
        );
    }

    #[test]
    fn a_per_unit_week_splits_across_31_march_by_days() {
        // Monday 28 March 2022: four days in 2021/2022, three in 2022/2023.
        let week = PaidWeek {
            week: Week::starting(date!(2022 - 03 - 28)).unwrap(),
            units: PaidUnits::Week(dec!(7)),
            rate: dec!(10.00),
        };
        assert_eq!(
            week.value_by_year(),
            vec![
                (FinancialYear::starting_in(2021), dec!(40)),
                (FinancialYear::starting_in(2022), dec!(30)),
            ]
        );
    }

    #[test]
    fn credit_notes_are_negative_and_contributions_reduce_the_payable() {
        let item = ItemAmounts::new(InvoiceKind::CreditNote, dec!(857.84), dec!(20), dec!(0));
        assert_eq!((item.value, item.vat), (dec!(-857.84), dec!(-171.57)));
        let item = ItemAmounts::new(InvoiceKind::Invoice, dec!(100), dec!(20), dec!(15.50));
        let totals = InvoiceTotals::of(&[item], dec!(90), dec!(20));
        assert_eq!(totals.payable, dec!(104.50));
        assert_eq!(totals.short_by_ex_vat, dec!(-10));
    }

    #[test]
    fn only_unsubmitted_or_returned_invoices_change() {
        use InvoiceAction::*;
        use InvoiceStatus::*;
        assert_eq!(Unsubmitted.after(Submit), Ok(Pending));
        assert_eq!(Pending.after(Authorise), Ok(Authorised));
        assert_eq!(Authorised.after(Finalise), Ok(Finalised));
        assert_eq!(Pending.after(Hold), Ok(OnHold));
        assert_eq!(OnHold.after(Return), Ok(Returned));
        assert!(Returned.is_editable());
        assert_eq!(Returned.after(Submit), Ok(Pending));
        let refused = Pending.after(Delete).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "This invoice is Pending: it cannot be deleted now."
        );
        assert!(Finalised.after(Return).is_err());
        assert!(Pending.locks_actuals() && !Returned.locks_actuals() && !Deleted.locks_actuals());
        assert_eq!(
            lock_reason("INV-42", Pending, date!(2022 - 04 - 25)),
            "This week is on invoice INV-42 (Pending), submitted on 25/04/2022."
        );
    }

    proptest! {
        #[test]
        fn a_week_split_across_31_march_sums_to_the_whole_week(
            hundredths in 0i64..1_000_000,
            rate_pence in 0i64..100_000,
            year in 2019i32..2040,
        ) {
            // The week holding 31 March: split between two years unless 31 March is a Sunday.
            let monday = Week::containing(FinancialYear::starting_in(year).last_day()).monday();
            let week = PaidWeek {
                week: Week::starting(monday).unwrap(),
                units: PaidUnits::Week(Decimal::new(hundredths, 2)),
                rate: Decimal::new(rate_pence, 2),
            };
            let parts: Decimal = week.value_by_year().into_iter().map(|(_, value)| value).sum();
            prop_assert_eq!(parts, Decimal::new(hundredths, 2) * Decimal::new(rate_pence, 2));
        }

        #[test]
        fn sessions_on_their_days_sum_to_the_week(
            units in proptest::array::uniform7(0i64..500),
            year in 2019i32..2030,
        ) {
            let monday = Week::containing(FinancialYear::starting_in(year).first_day()).monday();
            let week = PaidWeek {
                week: Week::starting(monday).unwrap(),
                units: PaidUnits::ByDay(units.map(|u| Decimal::new(u, 2))),
                rate: dec!(214.46),
            };
            let parts: Decimal = week.value_by_year().into_iter().map(|(_, value)| value).sum();
            let whole: Decimal = units.iter().map(|u| Decimal::new(*u, 2) * dec!(214.46)).sum();
            prop_assert_eq!(parts, whole);
        }
    }
}
