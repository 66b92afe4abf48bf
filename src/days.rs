//! A day or an instant, as query parameters take them: `from=2020-05-08` as well as
//! `from=2020-05-08T09:00:00Z`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_swedish_days() {
        let day = DayOrInstant::Day(NaiveDate::from_ymd_opt(2020, 5, 8).unwrap());
        let tz = chrono_tz::Europe::Stockholm;
        assert_eq!(day.start_in(tz).to_string(), "2020-05-07 22:00:00");
        assert_eq!(day.end_in(tz).to_string(), "2020-05-08 22:00:00");
        assert_eq!(day.start_in(Utc).to_string(), "2020-05-08 00:00:00");
    }
}
