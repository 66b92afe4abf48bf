//! Values as the bundle writes them: days, instants, and meeting times.

use chrono::{NaiveDate, NaiveDateTime, SecondsFormat, TimeDelta, TimeZone, Timelike};

pub(super) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A stored (naive UTC) instant as RFC 3339 in whole seconds.
pub(super) fn instant(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A meeting time as local time in `zone_name`: `YYYY-MM-DDTHH:MM`, with seconds only if
/// it has some. Local time is read back as the earliest instant it names, so the later
/// pass through an hour that daylight saving repeats is written with its offset.
fn local_time(at: NaiveDateTime, zone_name: &str) -> String {
    let at = at.with_nanosecond(0).unwrap_or(at);
    let tz = crate::times::zone(zone_name);
    let local = tz.from_utc_datetime(&at).naive_local();
    let read_back = tz
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.naive_utc());
    if read_back != Some(at) {
        return tz
            .from_utc_datetime(&at)
            .fixed_offset()
            .to_rfc3339_opts(SecondsFormat::Secs, false);
    }
    if local.second() == 0 {
        local.format("%Y-%m-%dT%H:%M").to_string()
    } else {
        local.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

/// A meeting's `starts_at` and `ends_at` as the bundle writes them: local times, or
/// when only the days are known the first day and, for a meeting of several days, the
/// last.
pub(super) fn meeting_times(
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    zone_name: &str,
    day_only: bool,
) -> (String, Option<String>) {
    if !day_only {
        return (
            local_time(starts_at, zone_name),
            Some(local_time(ends_at, zone_name)),
        );
    }
    // Stored from the first day's midnight to the midnight after the last day, as
    // `MeetingTime::stored_start` and `stored_end` read them.
    let first = crate::times::local(starts_at, zone_name).date_naive();
    let last = crate::times::local(ends_at, zone_name).date_naive() - TimeDelta::days(1);
    (day(first), (last > first).then(|| day(last)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn instants_are_utc_in_whole_seconds() {
        assert_eq!(instant(at("2020-05-15 10:00:00")), "2020-05-15T10:00:00Z");
        let fraction = at("2020-05-15 10:00:07") + chrono::TimeDelta::microseconds(250);
        assert_eq!(instant(fraction), "2020-05-15T10:00:07Z");
    }

    #[test]
    fn meeting_times_are_local() {
        // 07:00 UTC is 09:00 in Stockholm in summer.
        let (start, end) = meeting_times(
            at("2020-05-08 07:00:00"),
            at("2020-05-08 10:00:30"),
            "Europe/Stockholm",
            false,
        );
        assert_eq!(start, "2020-05-08T09:00");
        assert_eq!(end.as_deref(), Some("2020-05-08T12:00:30"));
    }

    #[test]
    fn the_repeated_hour_keeps_its_offset() {
        // 2020-10-25 02:30 happens twice in Stockholm: 00:30 and 01:30 UTC.
        assert_eq!(
            local_time(at("2020-10-25 00:30:00"), "Europe/Stockholm"),
            "2020-10-25T02:30"
        );
        assert_eq!(
            local_time(at("2020-10-25 01:30:00"), "Europe/Stockholm"),
            "2020-10-25T02:30:00+01:00"
        );
    }

    #[test]
    fn days_only_give_the_first_and_a_later_last_day() {
        // Stored from the first day's midnight to the midnight after the last.
        let one = meeting_times(
            at("2020-05-07 22:00:00"),
            at("2020-05-08 22:00:00"),
            "Europe/Stockholm",
            true,
        );
        assert_eq!(one, ("2020-05-08".to_string(), None));
        let three = meeting_times(
            at("2020-05-07 22:00:00"),
            at("2020-05-10 22:00:00"),
            "Europe/Stockholm",
            true,
        );
        assert_eq!(
            three,
            ("2020-05-08".to_string(), Some("2020-05-10".to_string()))
        );
    }
}
