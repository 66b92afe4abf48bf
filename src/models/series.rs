//! Recurring meeting series: weekly, every other week or monthly on a weekday, or
//! irregularly, with a timeline of what happened when (see [`crate::models::timeline`]).
//! Its meetings are planned from the timeline: those in the past as held, those ahead
//! (eight weeks) as planned, none while paused or on a Swedish public holiday.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;

use crate::db::schema::meeting_series;
use crate::db::{DbConnection, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::models::meeting::{MeetingKind, MeetingMode};
use crate::models::network::Network;
use crate::models::recurrence::{Frequency, TimelineKind, WeekdayName};
use crate::models::timeline::{self, Entry, NewEntry};
use crate::policy::{self, Governed, Managed, Reach, Steward, Visibility};

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
    /// The time of day is not known: its meetings carry only their day.
    pub time_unspecified: bool,
    /// No meeting on a Swedish public holiday.
    pub skip_holidays: bool,
}

crate::versioned!(Series);

/// A series with its timeline, oldest first: what is served of one series.
#[derive(Debug, Clone)]
pub struct SeriesHistory {
    pub series: Series,
    pub timeline: Vec<Entry>,
}

impl crate::db::Versioned for SeriesHistory {
    fn version(&self) -> i32 {
        self.series.version
    }
}

/// The series with its timeline.
pub fn with_history(conn: &mut DbConnection, series: Series) -> ApiResult<SeriesHistory> {
    let timeline = timeline::entries(conn, &series.id)?;
    Ok(SeriesHistory { series, timeline })
}

impl crate::models::store::Stored for Series {
    type Shown = SeriesHistory;

    fn find(conn: &mut DbConnection, reach: &Reach, id: &str, lock: bool) -> ApiResult<Self> {
        find(conn, reach, id, lock)
    }

    fn show(conn: &mut DbConnection, reach: &Reach, id: &str) -> ApiResult<SeriesHistory> {
        let series = find(conn, reach, id, false)?;
        with_history(conn, series)
    }
}

impl crate::models::store::Deletable for Series {
    const KIND: &'static str = "meeting_series";

    fn delete(conn: &mut DbConnection, row: &Managed<Self>) -> ApiResult<()> {
        delete(conn, row)
    }
}
crate::soft_deleted!(Series);

impl Governed for Series {
    fn steward(&self) -> Steward<'_> {
        Steward::Network(&self.network_id)
    }
}

/// The writable fields of a series, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesFields {
    pub network_id: String,
    pub title: String,
    pub frequency: Frequency,
    pub weekday: WeekdayName,
    /// `None`: the time of day is not known.
    pub start_time: Option<NaiveTime>,
    pub duration_minutes: i32,
    pub time_zone: chrono_tz::Tz,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub kind: MeetingKind,
    pub mode: MeetingMode,
    pub location: Option<String>,
    pub online_url: Option<String>,
    pub visibility: Visibility,
    pub skip_holidays: bool,
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
    time_unspecified: bool,
    skip_holidays: bool,
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
            start_time: if s.time_unspecified {
                None
            } else {
                NaiveTime::parse_from_str(&s.start_time, "%H:%M").ok()
            },
            duration_minutes: s.duration_minutes,
            time_zone: crate::times::zone(&s.time_zone),
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            kind: s.kind,
            mode: s.mode,
            location: s.location.clone(),
            online_url: s.online_url.clone(),
            visibility: s.visibility,
            skip_holidays: s.skip_holidays,
        }
    }

    fn written(&self) -> Written {
        Written {
            title: self.title.clone(),
            frequency: self.frequency,
            weekday: self.weekday,
            start_time: self
                .start_time
                .unwrap_or(NaiveTime::MIN)
                .format("%H:%M")
                .to_string(),
            duration_minutes: self.duration_minutes,
            time_zone: self.time_zone.name().to_string(),
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            kind: self.kind,
            mode: self.mode,
            location: self.location.clone(),
            online_url: self.online_url.clone(),
            visibility: self.visibility,
            time_unspecified: self.start_time.is_none(),
            skip_holidays: self.skip_holidays,
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

/// Inserts a series in a network the caller manages, with its timeline (`None`: it
/// started on `starts_on` at `frequency`, entered now by `recorded_by`), and plans its
/// meetings.
pub fn create(
    conn: &mut DbConnection,
    network: &Managed<Network>,
    fields: &SeriesFields,
    history: Option<Vec<Entry>>,
    recorded_by: Option<&str>,
    today: NaiveDate,
) -> ApiResult<Series> {
    let id = new_id();
    let at = now();
    let entries = match history {
        Some(entries) => entries,
        None => timeline::with_entry(
            &id,
            &[],
            NewEntry {
                on: fields.starts_on,
                kind: TimelineKind::Started,
                frequency: Some(fields.frequency),
                reason: None,
                note: None,
                approximate: false,
                recorded_at: at,
                recorded_by: recorded_by.map(str::to_string),
            },
        )?,
    };
    let series = insert(conn, network, &id, fields, entries)?;
    crate::models::planning::plan(conn, &series, today)?;
    live(conn, &id)
}

/// Inserts a series with this id and timeline without planning its meetings (an import
/// plans once the meetings entered for it are in).
pub fn insert(
    conn: &mut DbConnection,
    network: &Managed<Network>,
    id: &str,
    fields: &SeriesFields,
    entries: Vec<Entry>,
) -> ApiResult<Series> {
    let at = now();
    timeline::check(&entries, |i| format!("timeline[{i}]"))?;
    let state = timeline::state(&entries)
        .ok_or_else(|| ApiError::invalid_field("timeline", "must begin with `started`"))?;
    let mut written = fields.written();
    written.frequency = state.frequency;
    written.starts_on = state.starts_on;
    diesel::insert_into(meeting_series::table)
        .values((
            meeting_series::id.eq(&id),
            meeting_series::network_id.eq(&network.id),
            written,
            meeting_series::status.eq(state.status),
            meeting_series::status_reason.eq(state.status_reason),
            meeting_series::version.eq(1),
            meeting_series::created_at.eq(at),
            meeting_series::updated_at.eq(at),
        ))
        .execute(conn)?;
    timeline::store(conn, id, &entries)?;
    live(conn, id)
}

/// Replaces the fields and the whole timeline of a series (an import of a changed
/// record), without planning: the import plans at its end.
pub fn replace(
    conn: &mut DbConnection,
    series: &Managed<Series>,
    fields: &SeriesFields,
    entries: Vec<Entry>,
) -> ApiResult<Series> {
    timeline::check(&entries, |i| format!("timeline[{i}]"))?;
    let state = timeline::state(&entries)
        .ok_or_else(|| ApiError::invalid_field("timeline", "must begin with `started`"))?;
    let mut written = fields.written();
    written.frequency = state.frequency;
    written.starts_on = state.starts_on;
    let series = advance(
        conn,
        series,
        (
            written,
            meeting_series::status.eq(state.status),
            meeting_series::status_reason.eq(state.status_reason),
        ),
    )?;
    timeline::store(conn, &series.id, &entries)?;
    live(conn, &series.id)
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

/// Replaces the writable fields (a new frequency is a change in the timeline, from
/// `today`) and plans the meetings again: planned ones that no longer fit are cancelled.
pub fn update(
    conn: &mut DbConnection,
    series: &Managed<Series>,
    fields: &SeriesFields,
    recorded_by: Option<&str>,
    today: NaiveDate,
) -> ApiResult<Series> {
    let mut entries = timeline::entries(conn, &series.id)?;
    if let Some(first) = entries.first_mut()
        && first.kind == TimelineKind::Started
    {
        first.on_date = fields.starts_on;
    }
    if fields.frequency != series.frequency {
        let change = NewEntry {
            on: today.max(fields.starts_on),
            kind: TimelineKind::FrequencyChanged,
            frequency: Some(fields.frequency),
            reason: None,
            note: None,
            approximate: false,
            recorded_at: now(),
            recorded_by: recorded_by.map(str::to_string),
        };
        entries = timeline::with_entry(&series.id, &entries, change).map_err(|_| {
            ApiError::invalid_field("frequency", "a paused or ended series keeps its frequency")
        })?;
    }
    timeline::check(&entries, |_| "starts_on".to_string())?;
    let state = timeline::state(&entries).unwrap_or(timeline::State {
        status: series.status,
        status_reason: series.status_reason.clone(),
        frequency: fields.frequency,
        starts_on: fields.starts_on,
    });
    let mut written = fields.written();
    written.frequency = state.frequency;
    let series = advance(conn, series, written)?;
    timeline::store(conn, &series.id, &entries)?;
    crate::models::planning::plan(conn, &series, today)?;
    live(conn, &series.id)
}

/// Adds an entry to the series' timeline (a pause, a resumption, a change of frequency,
/// its end, on the day it happened), keeps the series' state in step and plans its
/// meetings again. 422 when the story it makes is impossible.
pub fn record(
    conn: &mut DbConnection,
    series: &Managed<Series>,
    entry: NewEntry,
    today: NaiveDate,
) -> ApiResult<Series> {
    let entries = timeline::entries(conn, &series.id)?;
    let entries = timeline::with_entry(&series.id, &entries, entry)?;
    let state = timeline::state(&entries)
        .ok_or_else(|| ApiError::invalid_field("kind", "the timeline must begin with `started`"))?;
    let series = advance(
        conn,
        series,
        (
            meeting_series::status.eq(state.status),
            meeting_series::status_reason.eq(state.status_reason),
            meeting_series::frequency.eq(state.frequency),
            meeting_series::starts_on.eq(state.starts_on),
        ),
    )?;
    timeline::store(conn, &series.id, &entries)?;
    crate::models::planning::plan(conn, &series, today)?;
    live(conn, &series.id)
}

/// Pauses the series from `on` (today, or a day in the past being recorded) with a
/// reason: its planned meetings from then on are cancelled.
pub fn pause(
    conn: &mut DbConnection,
    series: &Managed<Series>,
    entry: NewEntry,
    today: NaiveDate,
) -> ApiResult<Series> {
    if series.status != SeriesStatus::Active {
        return Err(ApiError::state_conflict(
            series.status.as_str(),
            "only an active series can be paused",
        ));
    }
    record(conn, series, entry, today)
}

/// Resumes a paused series from today: meetings cancelled by the pause are planned
/// again, and missing ones created.
pub fn resume(
    conn: &mut DbConnection,
    series: &Managed<Series>,
    entry: NewEntry,
    today: NaiveDate,
) -> ApiResult<Series> {
    if series.status != SeriesStatus::Paused {
        return Err(ApiError::state_conflict(
            series.status.as_str(),
            "only a paused series can be resumed",
        ));
    }
    record(conn, series, entry, today)
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
