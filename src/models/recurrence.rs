//! When a series meets: weekly, every other week, or monthly on the same numbered
//! weekday (the second Tuesday), from a first day to an optional last one.

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

crate::text_enum! {
    /// How often a series meets.
    Frequency {
        Weekly => "weekly",
        Biweekly => "biweekly",
        /// On the same numbered weekday each month (e.g. the second Tuesday).
        Monthly => "monthly",
    }
}

crate::text_enum! {
    /// The day of the week a series meets.
    WeekdayName {
        Monday => "monday",
        Tuesday => "tuesday",
        Wednesday => "wednesday",
        Thursday => "thursday",
        Friday => "friday",
        Saturday => "saturday",
        Sunday => "sunday",
    }
}

impl WeekdayName {
    /// chrono's weekday.
    pub fn weekday(self) -> Weekday {
        match self {
            Self::Monday => Weekday::Mon,
            Self::Tuesday => Weekday::Tue,
            Self::Wednesday => Weekday::Wed,
            Self::Thursday => Weekday::Thu,
            Self::Friday => Weekday::Fri,
            Self::Saturday => Weekday::Sat,
            Self::Sunday => Weekday::Sun,
        }
    }
}

/// The rule of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    pub frequency: Frequency,
    pub weekday: WeekdayName,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Recurrence {
    /// The dates it meets on within `[from, to]`.
    pub fn dates(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let wanted = self.weekday.weekday();
        let mut first = self.starts_on;
        while first.weekday() != wanted {
            first += TimeDelta::days(1);
        }
        let last = self.ends_on.map_or(to, |e| e.min(to));
        let mut dates = Vec::new();
        match self.frequency {
            Frequency::Weekly | Frequency::Biweekly => {
                let step = if self.frequency == Frequency::Weekly {
                    7
                } else {
                    14
                };
                let mut day = first;
                while day <= last {
                    if day >= from {
                        dates.push(day);
                    }
                    day += TimeDelta::days(step);
                }
            }
            Frequency::Monthly => {
                let ordinal = first.day0() / 7;
                let (mut year, mut month) = (first.year(), first.month());
                while let Some(start) = NaiveDate::from_ymd_opt(year, month, 1) {
                    if start > last {
                        break;
                    }
                    // The n-th such weekday of the month, or its last one when it has no n-th.
                    let mut day = start;
                    while day.weekday() != wanted {
                        day += TimeDelta::days(1);
                    }
                    let mut nth = day;
                    for _ in 0..ordinal {
                        let next = nth + TimeDelta::days(7);
                        if next.month() != month {
                            break;
                        }
                        nth = next;
                    }
                    if nth >= first && nth >= from && nth <= last {
                        dates.push(nth);
                    }
                    (year, month) = if month == 12 {
                        (year + 1, 1)
                    } else {
                        (year, month + 1)
                    };
                }
            }
        }
        dates
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(frequency: Frequency, weekday: WeekdayName, starts_on: NaiveDate) -> Recurrence {
        Recurrence {
            frequency,
            weekday,
            starts_on,
            ends_on: None,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekly_biweekly_and_monthly_dates() {
        let weekly = rule(Frequency::Weekly, WeekdayName::Friday, d(2020, 3, 16));
        assert_eq!(
            weekly.dates(d(2020, 3, 1), d(2020, 4, 3)),
            [d(2020, 3, 20), d(2020, 3, 27), d(2020, 4, 3)]
        );
        let biweekly = rule(Frequency::Biweekly, WeekdayName::Friday, d(2020, 3, 16));
        assert_eq!(
            biweekly.dates(d(2020, 3, 1), d(2020, 4, 17)),
            [d(2020, 3, 20), d(2020, 4, 3), d(2020, 4, 17)]
        );
        // The second Tuesday of each month.
        let monthly = rule(Frequency::Monthly, WeekdayName::Tuesday, d(2026, 1, 13));
        assert_eq!(
            monthly.dates(d(2026, 1, 1), d(2026, 3, 31)),
            [d(2026, 1, 13), d(2026, 2, 10), d(2026, 3, 10)]
        );
    }
}
