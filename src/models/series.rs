//! Recurring meeting series: weekly, every other week or monthly on a weekday, kept
//! materialised as planned meetings eight weeks ahead; paused and resumed with a reason.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::{meeting_series, meetings};
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::meeting::{self, MeetingFields, MeetingKind, MeetingMode, MeetingStatus};
use crate::models::network::Network;
use crate::models::recurrence::{Frequency, Recurrence, WeekdayName};
use crate::policy::{self, Governed, Managed, Reach, Steward, Visibility};
use crate::times::instant;

/// How far ahead planned meetings are kept.
pub const HORIZON_DAYS: i64 = 56;

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
struct Written {
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
    /// When the series meets.
    pub fn recurrence(&self) -> Recurrence {
        Recurrence {
            frequency: self.frequency,
            weekday: self.weekday,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
        }
    }

    /// The fields of an existing row.
    pub fn of(s: &Series) -> Self {
        Self {
            network_id: s.network_id.clone(),
            title: s.title.clone(),
            frequency: s.frequency,
            weekday: s.weekday,
            start_time: NaiveTime::parse_from_str(&s.start_time, "%H:%M").unwrap_or(NaiveTime::MIN),
            duration_minutes: s.duration_minutes,
            time_zone: crate::times::zone(&s.time_zone),
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            kind: s.kind,
            mode: s.mode,
            location: s.location.clone(),
            online_url: s.online_url.clone(),
            visibility: s.visibility,
        }
    }

    fn written(&self) -> Written {
        Written {
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
            fields.written(),
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
    let series = advance(conn, series, fields.written())?;
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
    let from = instant(crate::times::zone(&series.time_zone), today, NaiveTime::MIN).max(now());
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
    let dates = fields.recurrence().dates(from, to);
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
