//! Conversions between the schema's integer and text forms and the domain's types.

use portal_domain::calendar::{iso_date, parse_iso_date};
use portal_domain::{Money, Quantity, Week};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use crate::StoreError;

pub(crate) fn quantity(hundredths: i64, column: &str) -> Result<Quantity, StoreError> {
    Quantity::from_hundredths(hundredths)
        .map_err(|error| StoreError::Corrupt(format!("{column}: {error}")))
}

pub(crate) fn money(pence: i64, column: &str) -> Result<Money, StoreError> {
    Money::from_hundredths(pence).map_err(|error| StoreError::Corrupt(format!("{column}: {error}")))
}

pub(crate) fn date(text: &str, column: &str) -> Result<Date, StoreError> {
    parse_iso_date(text).map_err(|error| StoreError::Corrupt(format!("{column}: {error}")))
}

pub(crate) fn week(text: &str) -> Result<Week, StoreError> {
    Week::parse(text).map_err(|error| StoreError::Corrupt(format!("week_start: {error}")))
}

pub(crate) fn date_text(date: Date) -> String {
    iso_date(date)
}

pub(crate) fn now_text() -> String {
    timestamp_text(OffsetDateTime::now_utc())
}

pub(crate) fn timestamp_text(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).expect("UTC timestamps format")
}

pub(crate) fn timestamp(text: &str) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|error| StoreError::Corrupt(format!("timestamp: {error}")))
}

pub(crate) fn flag(value: bool) -> i64 {
    i64::from(value)
}
