//! Days, instants and local times: a day or an instant as query parameters take them
//! (`from=2020-05-08` as well as `from=2020-05-08T09:00:00Z`), meeting times in their
//! IANA time zone, and the local times of a series.

use chrono::{
    DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc,
};

use crate::error::Validator;
use serde::de::{Deserialize, Deserializer, Error as _};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

/// A day (`2020-05-08`) or an instant (RFC 3339) in a query parameter. Whole days are
/// Swedish days (Europe/Stockholm) where the filter is about meetings and due dates,
/// and UTC days where it is about when the server recorded a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrInstant {
    /// A whole day.
    Day(NaiveDate),
    /// An instant.
    Instant(DateTime<Utc>),
}

impl<'de> Deserialize<'de> for DayOrInstant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if let Ok(day) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            return Ok(Self::Day(day));
        }
        DateTime::parse_from_rfc3339(&text)
            .map(|t| Self::Instant(t.with_timezone(&Utc)))
            .map_err(|_| {
                D::Error::custom(format!(
                    "{text:?} is neither a date (2020-05-08) nor an RFC 3339 instant (2020-05-08T09:00:00Z)"
                ))
            })
    }
}

impl DayOrInstant {
    /// The start, as stored (naive UTC): a day begins at midnight in `tz`.
    pub fn start_in(self, tz: impl TimeZone) -> NaiveDateTime {
        match self {
            Self::Day(day) => midnight(tz, day),
            Self::Instant(t) => t.naive_utc(),
        }
    }

    /// The end, as stored (naive UTC): a day ends at the next midnight in `tz`, so that
    /// `to=2020-05-08` includes the whole day.
    pub fn end_in(self, tz: impl TimeZone) -> NaiveDateTime {
        match self {
            Self::Day(day) => midnight(tz, day + TimeDelta::days(1)),
            Self::Instant(t) => t.naive_utc(),
        }
    }

    /// The day, in `tz` for an instant.
    pub fn day_in<Tz: TimeZone>(self, tz: Tz) -> NaiveDate {
        match self {
            Self::Day(day) => day,
            Self::Instant(t) => t.with_timezone(&tz).date_naive(),
        }
    }
}

fn midnight(tz: impl TimeZone, day: NaiveDate) -> NaiveDateTime {
    let local = day.and_time(NaiveTime::MIN);
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.naive_utc())
        .unwrap_or(local)
}

impl utoipa::PartialSchema for DayOrInstant {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
            )
            .description(Some(
                "A day (`2020-05-08`) or an instant (RFC 3339, `2020-05-08T09:00:00Z`).",
            ))
            .into()
    }
}

impl utoipa::ToSchema for DayOrInstant {}

/// A stored zone name (checked when it was written; Stockholm otherwise).
pub fn zone(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::Europe::Stockholm)
}

/// A stored UTC instant in the zone `zone`.
pub fn local(at: NaiveDateTime, zone_name: &str) -> DateTime<FixedOffset> {
    zone(zone_name).from_utc_datetime(&at).fixed_offset()
}

/// The time zone `text` names (`field` in errors), or `current` when absent.
pub fn check_zone(
    v: &mut Validator,
    field: &str,
    text: Option<&str>,
    current: &str,
) -> (String, chrono_tz::Tz) {
    let name = text.unwrap_or(current);
    match name.parse::<chrono_tz::Tz>() {
        Ok(tz) => (tz.name().to_string(), tz),
        Err(_) => {
            v.add(field, "must be an IANA time zone such as Europe/Stockholm");
            (current.to_string(), chrono_tz::Europe::Stockholm)
        }
    }
}

/// A meeting time: RFC 3339, or local time in `tz`.
pub fn check_time(
    v: &mut Validator,
    field: &str,
    text: &str,
    tz: chrono_tz::Tz,
) -> Option<NaiveDateTime> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.naive_utc());
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(text, format) {
            return match tz.from_local_datetime(&local).earliest() {
                Some(t) => Some(t.naive_utc()),
                None => {
                    v.add(
                        field,
                        "does not exist in the time zone (a daylight-saving gap)",
                    );
                    None
                }
            };
        }
    }
    v.add(
        field,
        "must be RFC 3339 (2020-05-08T09:00:00+02:00) or local time (2020-05-08T09:00)",
    );
    None
}

/// When something happened that is being recorded now, as written (`2020-05-15` or an
/// RFC 3339 instant; a bare day is that day's midnight in Swedish time): never in the
/// future. Returns the instant (naive UTC) and when it is recorded (now) if it lies in
/// the past, so that the record says it was entered afterwards.
pub fn happened(
    v: &mut Validator,
    field: &str,
    when: DayOrInstant,
    now: NaiveDateTime,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let at = when.start_in(chrono_tz::Europe::Stockholm);
    if at > now {
        v.add(field, "must not be in the future");
        return None;
    }
    Some((at, now))
}

/// A meeting's start or end as written: a time (RFC 3339 or local), or a bare day when
/// only the day is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingTime {
    /// Only the day.
    Day(NaiveDate),
    /// An instant (naive UTC).
    At(NaiveDateTime),
}

impl MeetingTime {
    /// A stored start: the day's midnight when only the day is known.
    pub fn stored_start(at: NaiveDateTime, zone_name: &str, day_only: bool) -> Self {
        if day_only {
            Self::Day(local(at, zone_name).date_naive())
        } else {
            Self::At(at)
        }
    }

    /// A stored end: the last day's following midnight when only the days are known.
    pub fn stored_end(at: NaiveDateTime, zone_name: &str, day_only: bool) -> Self {
        if day_only {
            Self::Day(local(at, zone_name).date_naive() - TimeDelta::days(1))
        } else {
            Self::At(at)
        }
    }

    /// Whether both are days, or both times.
    pub fn same_form(self, other: Self) -> bool {
        matches!(
            (self, other),
            (Self::Day(_), Self::Day(_)) | (Self::At(_), Self::At(_))
        )
    }
}

/// A meeting's start or end: a bare day (`2020-05-08`), RFC 3339, or local time in `tz`.
pub fn check_meeting_time(
    v: &mut Validator,
    field: &str,
    text: &str,
    tz: chrono_tz::Tz,
) -> Option<MeetingTime> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(MeetingTime::Day(day));
    }
    let mut own = Validator::new();
    let at = check_time(&mut own, field, text, tz);
    if own.finish().is_err() {
        let gap = at.is_none() && looks_local(text);
        v.add(
            field,
            if gap {
                "does not exist in the time zone (a daylight-saving gap)"
            } else {
                "must be a date (2020-05-08), local time (2020-05-08T09:00) or RFC 3339 (2020-05-08T09:00:00+02:00)"
            },
        );
    }
    at.map(MeetingTime::At)
}

/// Whether `text` is a well-formed local time (one that may fall in a gap).
fn looks_local(text: &str) -> bool {
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .any(|f| NaiveDateTime::parse_from_str(text, f).is_ok())
}

/// What a meeting stores of its start and end: the UTC instants, and whether only the
/// days are known (then from the first day's midnight to the midnight after the last).
/// A bare day goes with a bare day (or none: one day); a time needs an end time.
pub fn meeting_span(
    v: &mut Validator,
    start: MeetingTime,
    end: Option<MeetingTime>,
    tz: chrono_tz::Tz,
) -> Option<(NaiveDateTime, NaiveDateTime, bool)> {
    use MeetingTime::{At, Day};
    match (start, end) {
        (Day(first), None) => Some((
            midnight(tz, first),
            midnight(tz, first + TimeDelta::days(1)),
            true,
        )),
        (Day(first), Some(Day(last))) => {
            if last < first {
                v.add("ends_at", "must not be before starts_at");
                return None;
            }
            Some((
                midnight(tz, first),
                midnight(tz, last + TimeDelta::days(1)),
                true,
            ))
        }
        (Day(_), Some(At(_))) => {
            v.add(
                "ends_at",
                "must be a bare date as well when starts_at is one",
            );
            None
        }
        (At(_), Some(Day(_))) => {
            v.add("ends_at", "must have a time as well when starts_at has one");
            None
        }
        (At(_), None) => {
            v.add("ends_at", "is required when starts_at has a time");
            None
        }
        (At(s), Some(At(e))) => Some((s, e, false)),
    }
}

/// A time of day, `HH:MM` (`field` in errors).
pub fn check_time_of_day(v: &mut Validator, field: &str, text: &str) -> NaiveTime {
    NaiveTime::parse_from_str(text, "%H:%M").unwrap_or_else(|_| {
        v.add(field, "must be HH:MM");
        NaiveTime::MIN
    })
}

/// The UTC instant of local `time` on `date` in `tz`; a time that a daylight-saving
/// change skips moves on by the gap.
pub fn instant(tz: chrono_tz::Tz, date: NaiveDate, time: NaiveTime) -> NaiveDateTime {
    let local = date.and_time(time);
    match tz.from_local_datetime(&local).earliest() {
        Some(t) => t.naive_utc(),
        None => tz
            .from_local_datetime(&(local + TimeDelta::hours(1)))
            .earliest()
            .map(|t| t.naive_utc())
            .unwrap_or(local),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn local_time_survives_daylight_saving() {
        let tz = chrono_tz::Europe::Stockholm;
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        // Winter: UTC+1; summer: UTC+2.
        assert_eq!(
            instant(tz, d(2027, 3, 26), nine).time(),
            NaiveTime::from_hms_opt(8, 0, 0).unwrap()
        );
        assert_eq!(
            instant(tz, d(2027, 4, 2), nine).time(),
            NaiveTime::from_hms_opt(7, 0, 0).unwrap()
        );
        // 02:30 does not exist on 2027-03-28; it moves on to 03:30 local.
        let gap = instant(
            tz,
            d(2027, 3, 28),
            NaiveTime::from_hms_opt(2, 30, 0).unwrap(),
        );
        assert_eq!(gap, d(2027, 3, 28).and_hms_opt(1, 30, 0).unwrap());
    }

    #[test]
    fn days_are_swedish_days() {
        let day = DayOrInstant::Day(NaiveDate::from_ymd_opt(2020, 5, 8).unwrap());
        let tz = chrono_tz::Europe::Stockholm;
        assert_eq!(day.start_in(tz).to_string(), "2020-05-07 22:00:00");
        assert_eq!(day.end_in(tz).to_string(), "2020-05-08 22:00:00");
        assert_eq!(day.start_in(Utc).to_string(), "2020-05-08 00:00:00");
    }
}
