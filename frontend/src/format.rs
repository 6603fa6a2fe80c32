//! Display helpers on top of `portal_domain::format`, for the strings the API carries.

use portal_domain::calendar::{iso_date, parse_iso_date};
use portal_domain::format::{format_date, format_money, format_number};
use portal_domain::{Money, Quantity, Week};
use time::{Date, Month};

/// "5.5" from the API's "5.50"; an unreadable value is shown as it came.
pub fn quantity_text(value: &str) -> String {
    Quantity::parse(value)
        .map(|quantity| format_number(quantity.value()))
        .unwrap_or_else(|_| value.to_owned())
}

/// "£1,072.30" from the API's "1072.30".
pub fn money_text(value: &str) -> String {
    Money::parse(value)
        .map(|money| format_money(money.value()))
        .unwrap_or_else(|_| value.to_owned())
}

/// "£1,072.30", and "-£428.92" for a figure that may fall below zero (a difference).
pub fn signed_money_text(value: &str) -> String {
    value
        .trim()
        .parse::<rust_decimal::Decimal>()
        .map(format_money)
        .unwrap_or_else(|_| value.to_owned())
}

/// "5", "-2", "10.5": a quantity that may fall below zero.
pub fn signed_quantity_text(value: &str) -> String {
    value
        .trim()
        .parse::<rust_decimal::Decimal>()
        .map(format_number)
        .unwrap_or_else(|_| value.to_owned())
}

/// "06/06/2022" from "2022-06-06".
pub fn date_text(iso: &str) -> String {
    parse_iso_date(iso)
        .map(format_date)
        .unwrap_or_else(|_| iso.to_owned())
}

/// "2nd", as the security-code prompt names positions.
pub fn ordinal(position: u8) -> String {
    let suffix = match (position % 10, position % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{position}{suffix}")
}

/// Today in the browser's time zone: the provider's own day decides what "this week" is.
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    let month = Month::try_from((now.get_month() + 1) as u8).unwrap_or(Month::January);
    Date::from_calendar_date(now.get_full_year() as i32, month, now.get_date() as u8)
        .unwrap_or(Date::MIN)
}

pub fn current_week() -> Week {
    Week::containing(today())
}

pub fn week_iso(week: Week) -> String {
    iso_date(week.monday())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_read_as_ordinals() {
        let named: Vec<String> = [1, 2, 3, 4, 5, 6, 11, 12, 21]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            named,
            ["1st", "2nd", "3rd", "4th", "5th", "6th", "11th", "12th", "21st"]
        );
    }

    #[test]
    fn api_strings_read_as_in_the_guides() {
        assert_eq!(money_text("1072.3"), "£1,072.30");
        assert_eq!(quantity_text("5.50"), "5.5");
        assert_eq!(quantity_text("1.00"), "1");
        assert_eq!(date_text("2022-06-06"), "06/06/2022");
        assert_eq!(date_text("not a date"), "not a date");
        assert_eq!(signed_money_text("-428.92"), "-£428.92");
        assert_eq!(signed_money_text("2144.60"), "£2,144.60");
        assert_eq!(signed_money_text("-0.00"), "£0.00");
        assert_eq!(signed_quantity_text("-2.00"), "-2");
        assert_eq!(signed_quantity_text("10.00"), "10");
    }
}
