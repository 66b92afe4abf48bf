//! When a series meets: weekly, every other week, or monthly on the same numbered
//! weekday (the second Tuesday), from a first day to an optional last one; and over a
//! series' timeline (its frequency changing, pauses and resumptions, its end), with the
//! Swedish public holidays left out.

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

crate::text_enum! {
    /// How often a series meets.
    Frequency {
        Weekly => "weekly",
        Biweekly => "biweekly",
        /// On the same numbered weekday each month (e.g. the second Tuesday).
        Monthly => "monthly",
        /// It meets, but not by a rule: no meetings are planned; they are entered.
        Irregular => "irregular",
    }
}

crate::text_enum! {
    /// What happened in a series' history.
    TimelineKind {
        /// It began meeting, at its first frequency.
        Started => "started",
        /// It went on at another frequency.
        FrequencyChanged => "frequency_changed",
        /// It stopped meeting for a while.
        Paused => "paused",
        /// It met again after a pause.
        Resumed => "resumed",
        /// It stopped for good.
        Ended => "ended",
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
            Frequency::Irregular => {}
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

/// One change in a series' history, as the schedule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub on: NaiveDate,
    pub kind: TimelineKind,
    pub frequency: Option<Frequency>,
}

/// Why a timeline cannot be: the index of the entry at fault and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineError {
    pub index: usize,
    pub message: &'static str,
}

/// Checks that a timeline tells a possible story, oldest first: it starts, with a
/// frequency; a frequency changes while it is running; it pauses only while running and
/// resumes only while paused; nothing comes after its end; no entry is dated before the
/// one before it.
pub fn check_timeline(changes: &[Change]) -> Result<(), TimelineError> {
    let fail = |index, message| Err(TimelineError { index, message });
    let mut state = None::<TimelineKind>;
    for (i, c) in changes.iter().enumerate() {
        if i > 0 && c.on < changes[i - 1].on {
            return fail(i, "is dated before the entry before it");
        }
        let needs_frequency = matches!(
            c.kind,
            TimelineKind::Started | TimelineKind::FrequencyChanged
        );
        if needs_frequency && c.frequency.is_none() {
            return fail(i, "needs a frequency");
        }
        if !needs_frequency && c.frequency.is_some() {
            return fail(i, "takes a frequency only when it starts or changes one");
        }
        let allowed = match (state, c.kind) {
            (None, TimelineKind::Started) => true,
            (None, _) => return fail(i, "the timeline must begin with `started`"),
            (Some(_), TimelineKind::Started) => false,
            (Some(TimelineKind::Ended), _) => return fail(i, "comes after the series ended"),
            (Some(TimelineKind::Paused), TimelineKind::Resumed | TimelineKind::Ended) => true,
            (Some(TimelineKind::Paused), _) => false,
            (Some(_), TimelineKind::Resumed) => false,
            (Some(_), _) => true,
        };
        if !allowed {
            return fail(
                i,
                match c.kind {
                    TimelineKind::Started => "a series starts once",
                    TimelineKind::Resumed => "only a paused series resumes",
                    _ => "cannot happen while the series is paused (resume it first)",
                },
            );
        }
        state = Some(match c.kind {
            TimelineKind::FrequencyChanged | TimelineKind::Resumed => TimelineKind::Started,
            other => other,
        });
    }
    Ok(())
}

/// A day of a series' schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurrence {
    /// It meets.
    Meeting(NaiveDate),
    /// It would meet, but the day is a holiday.
    Holiday(NaiveDate, &'static str),
}

/// The days a series meets within `[from, to]`: on `weekday`, at each period's
/// frequency, none while paused or after the end or `ends_on`; holidays are reported as
/// such when `skip_holidays`. `changes` is a checked timeline.
pub fn schedule(
    weekday: WeekdayName,
    changes: &[Change],
    ends_on: Option<NaiveDate>,
    skip_holidays: bool,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Occurrence> {
    let mut days = Vec::new();
    let mut running: Option<(NaiveDate, Frequency)> = None;
    let mut frequency = None;
    let last_day = |next: Option<NaiveDate>| {
        let before_next = next.map(|n| n - TimeDelta::days(1));
        match (before_next, ends_on) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    };
    let mut periods = Vec::new();
    for c in changes {
        if let Some((start, f)) = running.take() {
            periods.push((start, last_day(Some(c.on)), f));
        }
        frequency = c.frequency.or(frequency);
        running = match c.kind {
            TimelineKind::Started | TimelineKind::FrequencyChanged | TimelineKind::Resumed => {
                frequency.map(|f| (c.on, f))
            }
            TimelineKind::Paused | TimelineKind::Ended => None,
        };
    }
    if let Some((start, f)) = running {
        periods.push((start, last_day(None), f));
    }
    for (start, end, f) in periods {
        let rule = Recurrence {
            frequency: f,
            weekday,
            starts_on: start,
            ends_on: end,
        };
        for day in rule.dates(from, to) {
            match crate::holidays::holiday(day) {
                Some(name) if skip_holidays => days.push(Occurrence::Holiday(day, name)),
                _ => days.push(Occurrence::Meeting(day)),
            }
        }
    }
    days
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

    fn change(on: NaiveDate, kind: TimelineKind, frequency: Option<Frequency>) -> Change {
        Change {
            on,
            kind,
            frequency,
        }
    }

    #[test]
    fn a_series_that_paused_and_resumed() {
        use TimelineKind::*;
        // Weekly on Fridays in spring 2020, every other week from June, paused in August,
        // resumed in October at the frequency it had.
        let timeline = [
            change(d(2020, 3, 20), Started, Some(Frequency::Weekly)),
            change(d(2020, 6, 1), FrequencyChanged, Some(Frequency::Biweekly)),
            change(d(2020, 8, 1), Paused, None),
            change(d(2020, 10, 1), Resumed, None),
        ];
        assert_eq!(check_timeline(&timeline), Ok(()));
        let days = schedule(
            WeekdayName::Friday,
            &timeline,
            Some(d(2020, 10, 31)),
            true,
            d(2020, 1, 1),
            d(2020, 12, 31),
        );
        let meetings: Vec<String> = days
            .iter()
            .filter_map(|o| match o {
                Occurrence::Meeting(day) => Some(day.format("%m-%d").to_string()),
                Occurrence::Holiday(..) => None,
            })
            .collect();
        assert_eq!(
            meetings,
            [
                "03-20", "03-27", "04-03", "04-17", "04-24", "05-08", "05-15", "05-22", "05-29",
                "06-05", "07-03", "07-17", "07-31", "10-02", "10-16", "10-30",
            ]
        );
        // Långfredagen, Första maj and Midsommarafton fall on Fridays.
        let holidays: Vec<_> = days
            .iter()
            .filter_map(|o| match o {
                Occurrence::Holiday(day, name) => Some((day.format("%m-%d").to_string(), *name)),
                Occurrence::Meeting(_) => None,
            })
            .collect();
        assert_eq!(
            holidays,
            [
                ("04-10".to_string(), "Långfredagen"),
                ("05-01".to_string(), "Första maj"),
                ("06-19".to_string(), "Midsommarafton"),
            ]
        );
    }

    #[test]
    fn irregular_periods_plan_nothing_and_impossible_stories_are_refused() {
        use TimelineKind::*;
        let timeline = [
            change(d(2020, 3, 20), Started, Some(Frequency::Weekly)),
            change(d(2020, 4, 1), FrequencyChanged, Some(Frequency::Irregular)),
        ];
        let days = schedule(
            WeekdayName::Friday,
            &timeline,
            None,
            false,
            d(2020, 3, 1),
            d(2020, 12, 31),
        );
        assert_eq!(
            days,
            [
                Occurrence::Meeting(d(2020, 3, 20)),
                Occurrence::Meeting(d(2020, 3, 27))
            ]
        );
        let resumed_twice = [
            change(d(2020, 3, 20), Started, Some(Frequency::Weekly)),
            change(d(2020, 4, 1), Resumed, None),
        ];
        assert_eq!(check_timeline(&resumed_twice).unwrap_err().index, 1);
        let backwards = [
            change(d(2020, 3, 20), Started, Some(Frequency::Weekly)),
            change(d(2020, 3, 1), Paused, None),
        ];
        assert_eq!(
            check_timeline(&backwards).unwrap_err().message,
            "is dated before the entry before it"
        );
        assert!(check_timeline(&[change(d(2020, 3, 1), Paused, None)]).is_err());
    }
}
