//! British display: dd/mm/yyyy dates, £1,072.30 money, quantities without needless zeros.

use rust_decimal::Decimal;
use time::Date;

use crate::amount::round_to_penny;

/// "06/06/2022".
pub fn format_date(date: Date) -> String {
    format!(
        "{:02}/{:02}/{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// "£1,072.30", "-£428.92": pounds with thousands separators and pence.
pub fn format_money(amount: Decimal) -> String {
    let rounded = round_to_penny(amount);
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    let mut fixed = rounded.abs();
    fixed.rescale(2);
    let text = fixed.to_string();
    let (pounds, pence) = text.split_once('.').unwrap_or((&text, "00"));
    format!("{sign}£{}.{pence}", group_thousands(pounds))
}

/// "1,072", "55,974", "1,234,567": a run of ASCII digits (no sign, no decimals) with a comma
/// between each group of three, counted from the right. Shared by the money format above and
/// by the bench's tables.
pub fn group_thousands(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// "4", "5.5", "14.29": a quantity or percentage as people write it.
pub fn format_number(value: Decimal) -> String {
    let normalized = value.normalize();
    if normalized.is_zero() {
        "0".to_owned()
    } else {
        normalized.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    #[test]
    fn money_reads_as_in_the_guides() {
        assert_eq!(format_money(dec!(1072.3)), "£1,072.30");
        assert_eq!(format_money(dec!(55974.06)), "£55,974.06");
        assert_eq!(format_money(dec!(0)), "£0.00");
        assert_eq!(format_money(dec!(-428.92)), "-£428.92");
        assert_eq!(format_money(dec!(1234567.891)), "£1,234,567.89");
        assert_eq!(format_money(dec!(100)), "£100.00");
    }

    #[test]
    fn dates_and_numbers_read_as_in_the_guides() {
        assert_eq!(format_date(date!(2022 - 06 - 06)), "06/06/2022");
        assert_eq!(format_number(dec!(4.00)), "4");
        assert_eq!(format_number(dec!(5.50)), "5.5");
        assert_eq!(format_number(dec!(0.00)), "0");
    }
}
