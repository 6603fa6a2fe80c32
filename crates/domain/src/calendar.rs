//! Weeks and financial years (DOMAIN 2).

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, Weekday};

use crate::format::format_date;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("must be a date in the form YYYY-MM-DD")]
    NotADate,
    #[error("must be a Monday: a week is named by its Monday")]
    NotAMonday,
    #[error("must be a financial year in the form 2022-2023")]
    NotAFinancialYear,
}

const ISO_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Parses an ISO `YYYY-MM-DD` date, as the API carries dates.
pub fn parse_iso_date(text: &str) -> Result<Date, CalendarError> {
    Date::parse(text.trim(), ISO_DATE).map_err(|_| CalendarError::NotADate)
}

/// Formats a date as ISO `YYYY-MM-DD`.
pub fn iso_date(date: Date) -> String {
    date.format(ISO_DATE).expect("every date formats")
}

/// A week, Monday to Sunday, named by its Monday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Week(Date);

impl Week {
    /// The week a day falls in.
    pub fn containing(day: Date) -> Week {
        let back = i64::from(day.weekday().number_days_from_monday());
        Week(day - Duration::days(back))
    }

    /// A week from its Monday; any other day is refused, so a URL names one week only.
    pub fn starting(monday: Date) -> Result<Week, CalendarError> {
        if monday.weekday() == Weekday::Monday {
            Ok(Week(monday))
        } else {
            Err(CalendarError::NotAMonday)
        }
    }

    pub fn parse(text: &str) -> Result<Week, CalendarError> {
        Week::starting(parse_iso_date(text)?)
    }

    pub fn monday(self) -> Date {
        self.0
    }

    pub fn sunday(self) -> Date {
        self.0 + Duration::days(6)
    }

    /// The seven days, Monday first.
    pub fn days(self) -> [Date; 7] {
        std::array::from_fn(|offset| self.0 + Duration::days(offset as i64))
    }

    pub fn next(self) -> Week {
        Week(self.0 + Duration::days(7))
    }

    pub fn previous(self) -> Week {
        Week(self.0 - Duration::days(7))
    }

    pub fn contains(self, day: Date) -> bool {
        day >= self.0 && day <= self.sunday()
    }

    /// True when the week starts after the week of `today`: nothing may be entered for it.
    pub fn is_after_week_of(self, today: Date) -> bool {
        self > Week::containing(today)
    }

    /// "06/06/2022", as the guides name weeks.
    pub fn label(self) -> String {
        format_date(self.0)
    }
}

impl fmt::Display for Week {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&iso_date(self.0))
    }
}

impl From<Week> for String {
    fn from(week: Week) -> String {
        week.to_string()
    }
}

impl TryFrom<String> for Week {
    type Error = CalendarError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Week::parse(&text)
    }
}

/// A financial year, 1 April to 31 March, named by the year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(i32);

impl FinancialYear {
    pub fn containing(day: Date) -> FinancialYear {
        if day.month() >= Month::April {
            FinancialYear(day.year())
        } else {
            FinancialYear(day.year() - 1)
        }
    }

    pub fn starting_in(year: i32) -> FinancialYear {
        FinancialYear(year)
    }

    /// Parses the path form `2022-2023`.
    pub fn parse(text: &str) -> Result<FinancialYear, CalendarError> {
        let (first, second) = text
            .trim()
            .split_once(['-', '/'])
            .ok_or(CalendarError::NotAFinancialYear)?;
        let first: i32 = first
            .parse()
            .map_err(|_| CalendarError::NotAFinancialYear)?;
        let second: i32 = second
            .parse()
            .map_err(|_| CalendarError::NotAFinancialYear)?;
        if second != first + 1 || !(1900..=9998).contains(&first) {
            return Err(CalendarError::NotAFinancialYear);
        }
        Ok(FinancialYear(first))
    }

    pub fn first_day(self) -> Date {
        Date::from_calendar_date(self.0, Month::April, 1).expect("1 April exists")
    }

    pub fn last_day(self) -> Date {
        Date::from_calendar_date(self.0 + 1, Month::March, 31).expect("31 March exists")
    }

    pub fn contains(self, day: Date) -> bool {
        day >= self.first_day() && day <= self.last_day()
    }

    /// "2022/2023", as labels show it.
    pub fn label(self) -> String {
        format!("{}/{}", self.0, self.0 + 1)
    }

    /// "2022-2023", as paths carry it.
    pub fn path_segment(self) -> String {
        format!("{}-{}", self.0, self.0 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_week_is_named_by_its_monday() {
        let week = Week::containing(date!(2022 - 06 - 09));
        assert_eq!(week.to_string(), "2022-06-06");
        assert_eq!(week.label(), "06/06/2022");
        assert_eq!(week.sunday(), date!(2022 - 06 - 12));
        assert_eq!(Week::parse("2022-06-07"), Err(CalendarError::NotAMonday));
        assert_eq!(Week::parse("06/06/2022"), Err(CalendarError::NotADate));
    }

    #[test]
    fn a_future_week_is_one_starting_after_this_week() {
        let today = date!(2022 - 06 - 08);
        assert!(!Week::parse("2022-06-06").unwrap().is_after_week_of(today));
        assert!(Week::parse("2022-06-13").unwrap().is_after_week_of(today));
    }

    #[test]
    fn financial_years_turn_on_the_first_of_april() {
        assert_eq!(
            FinancialYear::containing(date!(2022 - 03 - 31)).label(),
            "2021/2022"
        );
        let year = FinancialYear::containing(date!(2022 - 04 - 01));
        assert_eq!(year.label(), "2022/2023");
        assert_eq!(year.path_segment(), "2022-2023");
        assert_eq!(FinancialYear::parse("2022-2023"), Ok(year));
        assert!(FinancialYear::parse("2022-2024").is_err());
    }
}
