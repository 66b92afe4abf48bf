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
