//! Swedish public holidays (allmänna helgdagar, lag 1989:253) and the eves that are days
//! off by custom and collective agreement (julafton, midsommarafton, nyårsafton): the
//! days a recurring meeting does not take place. Easter comes from the `computus`
//! crate; everything else follows from the law's rules.

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

/// The holiday `day` is, by its Swedish name, if it is one.
pub fn holiday(day: NaiveDate) -> Option<&'static str> {
    let (month, dom) = (day.month(), day.day());
    let fixed = match (month, dom) {
        (1, 1) => Some("Nyårsdagen"),
        (1, 6) => Some("Trettondedag jul"),
        (5, 1) => Some("Första maj"),
        (6, 6) => Some("Sveriges nationaldag"),
        (12, 24) => Some("Julafton"),
        (12, 25) => Some("Juldagen"),
        (12, 26) => Some("Annandag jul"),
        (12, 31) => Some("Nyårsafton"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    // Midsommardagen is the Saturday from 20 to 26 June, its eve the Friday before;
    // Alla helgons dag the Saturday from 31 October to 6 November.
    let weekday = day.weekday();
    if month == 6 && weekday == Weekday::Sat && (20..=26).contains(&dom) {
        return Some("Midsommardagen");
    }
    if month == 6 && weekday == Weekday::Fri && (19..=25).contains(&dom) {
        return Some("Midsommarafton");
    }
    if weekday == Weekday::Sat && ((month == 10 && dom == 31) || (month == 11 && dom <= 6)) {
        return Some("Alla helgons dag");
    }
    let easter = computus::gregorian_naive(day.year()).ok()?;
    match (day - easter).num_days() {
        -2 => Some("Långfredagen"),
        0 => Some("Påskdagen"),
        1 => Some("Annandag påsk"),
        39 => Some("Kristi himmelsfärdsdag"),
        49 => Some("Pingstdagen"),
        _ => None,
    }
}

/// Whether `day` is a holiday.
pub fn is_holiday(day: NaiveDate) -> bool {
    holiday(day).is_some()
}

/// The holidays from `from` to `to`, both included.
pub fn between(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, &'static str)> {
    let mut days = Vec::new();
    let mut day = from;
    while day <= to {
        if let Some(name) = holiday(day) {
            days.push((day, name));
        }
        day += TimeDelta::days(1);
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_holidays_of_2020() {
        let names: Vec<(String, &str)> = between(d(2020, 1, 1), d(2020, 12, 31))
            .into_iter()
            .map(|(day, name)| (day.to_string(), name))
            .collect();
        let expected = [
            ("2020-01-01", "Nyårsdagen"),
            ("2020-01-06", "Trettondedag jul"),
            ("2020-04-10", "Långfredagen"),
            ("2020-04-12", "Påskdagen"),
            ("2020-04-13", "Annandag påsk"),
            ("2020-05-01", "Första maj"),
            ("2020-05-21", "Kristi himmelsfärdsdag"),
            ("2020-05-31", "Pingstdagen"),
            ("2020-06-06", "Sveriges nationaldag"),
            ("2020-06-19", "Midsommarafton"),
            ("2020-06-20", "Midsommardagen"),
            ("2020-10-31", "Alla helgons dag"),
            ("2020-12-24", "Julafton"),
            ("2020-12-25", "Juldagen"),
            ("2020-12-26", "Annandag jul"),
            ("2020-12-31", "Nyårsafton"),
        ];
        let expected: Vec<(String, &str)> = expected
            .iter()
            .map(|(day, name)| (day.to_string(), *name))
            .collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn moving_holidays_in_other_years() {
        assert_eq!(holiday(d(2021, 4, 2)), Some("Långfredagen"));
        assert_eq!(holiday(d(2021, 6, 25)), Some("Midsommarafton"));
        assert_eq!(holiday(d(2021, 11, 6)), Some("Alla helgons dag"));
        assert_eq!(holiday(d(2027, 3, 26)), Some("Långfredagen"));
        assert_eq!(holiday(d(2020, 5, 8)), None);
        assert_eq!(holiday(d(2020, 6, 26)), None);
    }
}
