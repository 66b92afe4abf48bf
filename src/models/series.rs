//! Recurring meeting series: weekly, every other week or monthly on a weekday, kept
//! materialised as planned meetings eight weeks ahead; paused and resumed with a reason.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Weekday};
use diesel::prelude::*;

use crate::db::schema::{meeting_series, meetings};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::meeting::{self, MeetingFields, MeetingKind, MeetingMode, MeetingStatus};
use crate::models::network::Network;
use crate::policy::{self, Governed, Managed, Reach, Steward, Visibility};

/// How far ahead planned meetings are kept.
pub const HORIZON_DAYS: i64 = 56;

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

crate::text_enum! {
    /// Whether a series is producing meetings.
    SeriesStatus {
        Active => "active",
        Paused => "paused",
        Ended => "ended",
    }
}

/// A series row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = meeting_series)]
pub struct Series {
    pub id: String,
    pub network_id: String,
    pub title: String,
    pub frequency: Frequency,
    pub weekday: WeekdayName,
    pub start_time: String,
    pub duration_minutes: i32,
    pub time_zone: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub status: SeriesStatus,
    pub status_reason: Option<String>,
    pub kind: MeetingKind,
    pub mode: MeetingMode,
    pub location: Option<String>,
    pub online_url: Option<String>,
    pub visibility: Visibility,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

crate::versioned!(Series);
crate::stored!(Series, find = find, delete = ("meeting_series", delete));
crate::soft_deleted!(Series);

impl Governed for Series {
    fn steward(&self) -> Steward<'_> {
        Steward::Network(&self.network_id)
    }
}

/// The writable fields of a series, validated.
#[derive(Debug, Clone)]
pub struct SeriesFields {
    pub network_id: String,
    pub title: String,
    pub frequency: Frequency,
    pub weekday: WeekdayName,
    pub start_time: NaiveTime,
    pub duration_minutes: i32,
    pub time_zone: chrono_tz::Tz,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub kind: MeetingKind,
    pub mode: MeetingMode,
    pub location: Option<String>,
    pub online_url: Option<String>,
    pub visibility: Visibility,
}

/// What a series' fields are stored as: the insert and the update both write these.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = meeting_series, treat_none_as_null = true)]
struct Stored {
    title: String,
    frequency: Frequency,
    weekday: WeekdayName,
    start_time: String,
    duration_minutes: i32,
    time_zone: String,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    kind: MeetingKind,
    mode: MeetingMode,
    location: Option<String>,
    online_url: Option<String>,
    visibility: Visibility,
    search_text: String,
}

impl SeriesFields {
    /// The fields of an existing row.
    pub fn of(s: &Series) -> Self {
        Self {
            network_id: s.network_id.clone(),
            title: s.title.clone(),
            frequency: s.frequency,
            weekday: s.weekday,
            start_time: parse_start(&s.start_time),
            duration_minutes: s.duration_minutes,
            time_zone: zone(&s.time_zone),
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            kind: s.kind,
            mode: s.mode,
            location: s.location.clone(),
            online_url: s.online_url.clone(),
            visibility: s.visibility,
        }
    }

    fn stored(&self) -> Stored {
        Stored {
            title: self.title.clone(),
            frequency: self.frequency,
            weekday: self.weekday,
            start_time: self.start_time.format("%H:%M").to_string(),
            duration_minutes: self.duration_minutes,
            time_zone: self.time_zone.name().to_string(),
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            kind: self.kind,
            mode: self.mode,
            location: self.location.clone(),
            online_url: self.online_url.clone(),
            visibility: self.visibility,
            search_text: crate::validation::search_text([
                Some(self.title.as_str()),
                self.location.as_deref(),
            ]),
        }
    }
}

/// The stored start time (`HH:MM`, written by us).
fn parse_start(text: &str) -> NaiveTime {
    NaiveTime::parse_from_str(text, "%H:%M").unwrap_or(NaiveTime::MIN)
}

/// The stored zone (an IANA name, checked when it was written).
fn zone(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::Europe::Stockholm)
}

/// The dates the series meets on within `[from, to]`.
pub fn occurrences(fields: &SeriesFields, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let wanted = fields.weekday.weekday();
    let mut first = fields.starts_on;
    while first.weekday() != wanted {
        first += TimeDelta::days(1);
    }
    let last = fields.ends_on.map_or(to, |e| e.min(to));
    let mut dates = Vec::new();
    match fields.frequency {
        Frequency::Weekly | Frequency::Biweekly => {
            let step = if fields.frequency == Frequency::Weekly {
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

/// The live series with this id if the caller may see it (404 otherwise); `lock` locks
/// its row for a write in the same transaction.
pub fn find(conn: &mut DbConnection, reach: &Reach, id: &str, lock: bool) -> ApiResult<Series> {
    if lock {
        crate::lock_row!(conn, meeting_series, id)?;
    }
    Ok(meeting_series::table
        .find(id)
        .filter(meeting_series::deleted_at.is_null())
        .filter(policy::sql::series(reach))
        .select(Series::as_select())
        .first(conn)?)
}

/// The live series with this id, whoever asks: for work the server does on its own
/// (planning meetings), never to answer a caller.
pub fn find_unchecked(conn: &mut DbConnection, id: &str) -> ApiResult<Series> {
    live(conn, id)
}

fn live(conn: &mut DbConnection, id: &str) -> ApiResult<Series> {
    Ok(meeting_series::table
        .find(id)
        .filter(meeting_series::deleted_at.is_null())
        .select(Series::as_select())
        .first(conn)?)
}

/// Inserts a series in a network the caller manages and plans its first meetings.
pub fn create(
    conn: &mut DbConnection,
    network: &Managed<Network>,
    fields: &SeriesFields,
    today: NaiveDate,
) -> ApiResult<Series> {
    let id = new_id();
    let at = now();
    diesel::insert_into(meeting_series::table)
        .values((
            meeting_series::id.eq(&id),
            meeting_series::network_id.eq(&network.id),
            fields.stored(),
            meeting_series::status.eq(SeriesStatus::Active),
            meeting_series::version.eq(1),
            meeting_series::created_at.eq(at),
            meeting_series::updated_at.eq(at),
        ))
        .execute(conn)?;
    let series = live(conn, &id)?;
    materialize(conn, &series, today)?;
    live(conn, &id)
}

/// Moves the series to its next version if it is still at the version it was read at.
fn advance<C>(conn: &mut DbConnection, series: &Series, changes: C) -> ApiResult<Series>
where
    C: AsChangeset<Target = meeting_series::table>,
    C::Changeset: diesel::query_builder::QueryFragment<crate::db::MultiBackend>,
{
    crate::write_versioned!(conn, meeting_series, series, changes)?;
    live(conn, &series.id)
}

/// Replaces the writable fields; future planned meetings follow on the next planning.
pub fn update(
    conn: &mut DbConnection,
    series: &Managed<Series>,
    fields: &SeriesFields,
    today: NaiveDate,
) -> ApiResult<Series> {
    let series = advance(conn, series, fields.stored())?;
    materialize(conn, &series, today)?;
    Ok(series)
}

/// Pauses the series: its future planned meetings are cancelled, and the reason kept.
pub fn pause(conn: &mut DbConnection, series: &Managed<Series>, reason: &str) -> ApiResult<Series> {
    if series.status != SeriesStatus::Active {
        return Err(ApiError::state_conflict(
            series.status.as_str(),
            "only an active series can be paused",
        ));
    }
    let paused = advance(
        conn,
        series,
        (
            meeting_series::status.eq(SeriesStatus::Paused),
            meeting_series::status_reason.eq(Some(reason)),
        ),
    )?;
    meeting::set_series_status(
        conn,
        &series.id,
        now(),
        MeetingStatus::Planned,
        MeetingStatus::Cancelled,
    )?;
    Ok(paused)
}

/// Resumes a paused series from `today`: meetings cancelled by the pause are planned
/// again, and missing ones created.
pub fn resume(
    conn: &mut DbConnection,
    series: &Managed<Series>,
    today: NaiveDate,
) -> ApiResult<Series> {
    if series.status != SeriesStatus::Paused {
        return Err(ApiError::state_conflict(
            series.status.as_str(),
            "only a paused series can be resumed",
        ));
    }
    let resumed = advance(
        conn,
        series,
        (
            meeting_series::status.eq(SeriesStatus::Active),
            meeting_series::status_reason.eq(None::<String>),
        ),
    )?;
    let from = instant(zone(&series.time_zone), today, NaiveTime::MIN).max(now());
    meeting::set_series_status(
        conn,
        &series.id,
        from,
        MeetingStatus::Cancelled,
        MeetingStatus::Planned,
    )?;
    materialize(conn, &resumed, today)?;
    live(conn, &series.id)
}

/// Creates the planned meetings of the next eight weeks that do not exist yet; running
/// it again creates nothing twice. Returns how many it created.
pub fn materialize(conn: &mut DbConnection, series: &Series, today: NaiveDate) -> ApiResult<usize> {
    if series.status != SeriesStatus::Active || series.deleted_at.is_some() {
        return Ok(0);
    }
    let fields = SeriesFields::of(series);
    let network = crate::models::network::find_unchecked(conn, &series.network_id)?;
    let from = today.max(series.starts_on);
    let to = today + TimeDelta::days(HORIZON_DAYS);
    let dates = occurrences(&fields, from, to);
    let starts: Vec<NaiveDateTime> = dates
        .iter()
        .map(|d| instant(fields.time_zone, *d, fields.start_time))
        .collect();
    let (Some(first), Some(last)) = (starts.first(), starts.last()) else {
        return Ok(0);
    };
    let existing: Vec<NaiveDateTime> = meetings::table
        .filter(meetings::series_id.eq(&series.id))
        .filter(meetings::starts_at.ge(*first))
        .filter(meetings::starts_at.le(*last))
        .select(meetings::starts_at)
        .load(conn)?;
    let mut created = 0;
    for starts_at in starts.into_iter().filter(|s| !existing.contains(s)) {
        let meeting = MeetingFields {
            network_id: Some(series.network_id.clone()),
            organizer_organization_id: Some(network.owner_organization_id.clone()),
            title: series.title.clone(),
            kind: fields.kind,
            description: None,
            starts_at,
            ends_at: starts_at + TimeDelta::minutes(i64::from(series.duration_minutes)),
            time_zone: series.time_zone.clone(),
            mode: fields.mode,
            location: series.location.clone(),
            online_url: series.online_url.clone(),
            status: MeetingStatus::Planned,
            visibility: fields.visibility,
            search: String::new(),
        };
        meeting::create(conn, meeting, Some(&series.id))?;
        created += 1;
    }
    Ok(created)
}

/// Plans every active series (run hourly by the server).
pub fn materialize_all(conn: &mut DbConnection, today: NaiveDate) -> ApiResult<usize> {
    let all: Vec<Series> = meeting_series::table
        .filter(meeting_series::deleted_at.is_null())
        .filter(meeting_series::status.eq(SeriesStatus::Active))
        .select(Series::as_select())
        .load(conn)?;
    let mut created = 0;
    for series in &all {
        created += materialize(conn, series, today)?;
    }
    Ok(created)
}

/// Soft-deletes a series; its meetings stay.
pub fn delete(conn: &mut DbConnection, series: &Managed<Series>) -> ApiResult<()> {
    crate::write_versioned!(
        conn,
        meeting_series,
        series,
        meeting_series::deleted_at.eq(Some(now()))
    )?;
    Ok(())
}

/// One page of the series the caller may see.
pub fn list(
    conn: &mut DbConnection,
    reach: &Reach,
    network_id: Option<&str>,
    status: Option<SeriesStatus>,
    page: &crate::pagination::PageRequest,
) -> ApiResult<crate::pagination::Page<Series>> {
    let mut query = meeting_series::table
        .select(Series::as_select())
        .filter(policy::sql::series(reach))
        .into_boxed();
    if let Some(network) = network_id {
        query = query.filter(meeting_series::network_id.eq(network.to_string()));
    }
    if let Some(status) = status {
        query = query.filter(meeting_series::status.eq(status));
    }
    if let Some(pattern) = &page.search {
        query = query.filter(
            meeting_series::search_text
                .like(pattern.clone())
                .escape('\\'),
        );
    }
    let rows = crate::keyset!(query, meeting_series, page).load(conn)?;
    Ok(crate::pagination::Page::from_rows(
        rows,
        page,
        |s: &Series| (s.updated_at, s.id.clone()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(frequency: Frequency, weekday: WeekdayName, starts_on: NaiveDate) -> SeriesFields {
        SeriesFields {
            network_id: String::new(),
            title: "Statusmöte".into(),
            frequency,
            weekday,
            start_time: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            duration_minutes: 60,
            time_zone: chrono_tz::Europe::Stockholm,
            starts_on,
            ends_on: None,
            kind: MeetingKind::StatusBriefing,
            mode: MeetingMode::Digital,
            location: None,
            online_url: None,
            visibility: Visibility::Restricted,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekly_biweekly_and_monthly_dates() {
        let weekly = fields(Frequency::Weekly, WeekdayName::Friday, d(2020, 3, 16));
        assert_eq!(
            occurrences(&weekly, d(2020, 3, 1), d(2020, 4, 3)),
            [d(2020, 3, 20), d(2020, 3, 27), d(2020, 4, 3)]
        );
        let biweekly = fields(Frequency::Biweekly, WeekdayName::Friday, d(2020, 3, 16));
        assert_eq!(
            occurrences(&biweekly, d(2020, 3, 1), d(2020, 4, 17)),
            [d(2020, 3, 20), d(2020, 4, 3), d(2020, 4, 17)]
        );
        // The second Tuesday of each month.
        let monthly = fields(Frequency::Monthly, WeekdayName::Tuesday, d(2026, 1, 13));
        assert_eq!(
            occurrences(&monthly, d(2026, 1, 1), d(2026, 3, 31)),
            [d(2026, 1, 13), d(2026, 2, 10), d(2026, 3, 10)]
        );
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
}
