//! The request and response bodies of the series endpoints.

use crate::kit::body::{not_null, nullable};
use crate::models::meeting::{MeetingKind, MeetingMode};
use crate::models::recurrence::{Frequency, TimelineKind, WeekdayName};
use crate::models::series::{Series, SeriesHistory, SeriesStatus};
use crate::models::timeline::Entry;
use crate::policy::{Reach, Visibility};
use crate::routes::{utc, uuid};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A meeting series.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8800-0000-7000-8000-000000000001",
    "network_id": "019a8600-0000-7000-8000-000000000002",
    "title": "Statusmöte med utförare",
    "frequency": "weekly",
    "weekday": "friday",
    "start_time": "09:00",
    "duration_minutes": 60,
    "time_zone": "Europe/Stockholm",
    "starts_on": "2020-03-20",
    "ends_on": null,
    "status": "paused",
    "status_reason": "Smittspridningen har minskat; mötena vilar över sommaren.",
    "kind": "status_briefing",
    "mode": "digital",
    "location": null,
    "online_url": null,
    "visibility": "restricted",
    "skip_holidays": true,
    "timeline": [
        {"on": "2020-03-20", "kind": "started", "frequency": "weekly", "reason": null, "note": null, "approximate": false, "recorded_at": "2026-11-24T08:30:00Z", "recorded_by": null},
        {"on": "2020-06-05", "kind": "paused", "frequency": null, "reason": "Smittspridningen har minskat; mötena vilar över sommaren.", "note": null, "approximate": false, "recorded_at": "2026-11-24T09:00:00Z", "recorded_by": null}
    ],
    "version": 5,
    "created_at": "2026-11-24T08:30:00Z",
    "updated_at": "2026-11-24T09:00:00Z"
}))]
pub struct SeriesDto {
    pub id: Uuid,
    pub network_id: Uuid,
    pub title: String,
    pub frequency: Frequency,
    pub weekday: WeekdayName,
    /// Local time `HH:MM` in `time_zone`, kept across daylight-saving changes; `null` when
    /// the time of day is not known (its meetings carry only their day).
    pub start_time: Option<String>,
    pub duration_minutes: i32,
    pub time_zone: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub status: SeriesStatus,
    /// Why it was paused (or ended).
    pub status_reason: Option<String>,
    pub kind: MeetingKind,
    pub mode: MeetingMode,
    pub location: Option<String>,
    /// The link to join; `null` for those who may not attend.
    pub online_url: Option<String>,
    pub visibility: Visibility,
    /// No meeting on a Swedish public holiday (juldagen, långfredagen, midsommarafton, …).
    pub skip_holidays: bool,
    /// Its history, oldest first: started, frequency changed, paused (with the reason),
    /// resumed, ended, each on the day it happened. In answers about one series, not in
    /// lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Vec<TimelineEntryDto>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One event in a series' history.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"on": "2020-08-01", "kind": "paused", "frequency": null, "reason": "Läget är under kontroll; mötena upphör under en tid.", "note": "under en tid helt upphöra", "approximate": true, "recorded_at": "2026-12-05T10:00:00Z", "recorded_by": "019a84f5-0000-7000-8000-000000000001"}))]
pub struct TimelineEntryDto {
    /// The day it happened (or, when `approximate`, the first day of the period the
    /// source gives).
    pub on: NaiveDate,
    pub kind: TimelineKind,
    /// The frequency from then on (`started`, `frequency_changed`).
    pub frequency: Option<Frequency>,
    /// Why it paused.
    pub reason: Option<String>,
    pub note: Option<String>,
    /// The source gives a period ("under våren"), not the day.
    pub approximate: bool,
    /// When it was entered: later than `on` for history recorded afterwards.
    pub recorded_at: DateTime<Utc>,
    /// The user who entered it (`null`: an import or the server).
    pub recorded_by: Option<Uuid>,
}

impl From<Entry> for TimelineEntryDto {
    fn from(e: Entry) -> Self {
        Self {
            on: e.on_date,
            kind: e.kind,
            frequency: e.frequency,
            reason: e.reason,
            note: e.note,
            approximate: e.approximate,
            recorded_at: utc(e.recorded_at),
            recorded_by: e.recorded_by.as_deref().map(uuid),
        }
    }
}

/// One series with its timeline, as the caller sees it.
pub(super) fn history_dto(reach: &Reach, h: SeriesHistory) -> SeriesDto {
    let mut dto = series_dto(reach, h.series);
    dto.timeline = Some(h.timeline.into_iter().map(TimelineEntryDto::from).collect());
    dto
}

/// The series as the caller sees it: the link to join only for the network's insiders.
pub(super) fn series_dto(reach: &Reach, s: Series) -> SeriesDto {
    let may_attend = reach.insider(&s.network_id);
    SeriesDto {
        id: uuid(&s.id),
        network_id: uuid(&s.network_id),
        frequency: s.frequency,
        weekday: s.weekday,
        status: s.status,
        kind: s.kind,
        mode: s.mode,
        visibility: s.visibility,
        online_url: if may_attend { s.online_url } else { None },
        title: s.title,
        start_time: (!s.time_unspecified).then_some(s.start_time),
        duration_minutes: s.duration_minutes,
        time_zone: s.time_zone,
        starts_on: s.starts_on,
        ends_on: s.ends_on,
        status_reason: s.status_reason,
        location: s.location,
        skip_holidays: s.skip_holidays,
        timeline: None,
        version: s.version,
        created_at: utc(s.created_at),
        updated_at: utc(s.updated_at),
    }
}

/// A new series.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "network_id": "019a8600-0000-7000-8000-000000000002",
    "title": "Statusmöte med utförare",
    "frequency": "weekly",
    "weekday": "friday",
    "start_time": "09:00",
    "duration_minutes": 60,
    "starts_on": "2026-11-27",
    "kind": "status_briefing",
    "mode": "digital",
    "online_url": "https://teams.microsoft.com/l/meetup-join/exempel"
}))]
pub struct CreateSeries {
    #[schema(value_type = Uuid)]
    pub network_id: String,
    #[schema(min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: String,
    #[schema(value_type = Frequency)]
    pub frequency: String,
    #[schema(value_type = WeekdayName)]
    pub weekday: String,
    /// Local time, `HH:MM`; leave it out when the time of day is not known.
    #[schema(example = "09:00", pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start_time: Option<String>,
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: i32,
    /// Default `Europe/Stockholm`.
    #[schema(example = "Europe/Stockholm", max_length = 64)]
    pub time_zone: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// Default `network_meeting`.
    #[schema(value_type = Option<MeetingKind>)]
    pub kind: Option<String>,
    /// Default `digital`.
    #[schema(value_type = Option<MeetingMode>)]
    pub mode: Option<String>,
    #[schema(max_length = 500)]
    pub location: Option<String>,
    #[schema(
        pattern = r"^https?://[^\s/?#\[\]@:]+(:[0-9]{1,5})?([/?#][^\s]*)?$",
        max_length = 2000
    )]
    pub online_url: Option<String>,
    /// Default: the network's visibility.
    #[schema(value_type = Option<Visibility>)]
    pub visibility: Option<String>,
    /// Default true: no meeting on a Swedish public holiday.
    pub skip_holidays: Option<bool>,
}

/// A change to a series. Its meetings are planned again: planned ones that no longer fit
/// are cancelled, missing ones created. A new `frequency` is a change in its timeline
/// from today.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"frequency": "biweekly", "ends_on": "2021-06-30"}))]
pub struct UpdateSeries {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Frequency)]
    pub frequency: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = WeekdayName)]
    pub weekday: Option<String>,
    /// `null`: the time of day is not known.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start_time: Option<Option<String>>,
    /// Its first day (the `started` entry of its timeline).
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = NaiveDate)]
    pub starts_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = bool)]
    pub skip_holidays: Option<bool>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = i32, minimum = 1, maximum = 1440)]
    pub duration_minutes: Option<i32>,
    #[serde(default, deserialize_with = "nullable")]
    pub ends_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 500)]
    pub location: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(
        pattern = r"^https?://[^\s/?#\[\]@:]+(:[0-9]{1,5})?([/?#][^\s]*)?$",
        max_length = 2000
    )]
    pub online_url: Option<Option<String>>,
}

/// Why a series pauses, and from when.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Smittspridningen har minskat; mötena vilar över sommaren.", "on": "2020-08-01"}))]
pub struct PauseSeries {
    #[schema(min_length = 1, max_length = 1000, pattern = "\\S")]
    pub reason: String,
    /// The day it paused; default today. A day in the past records a pause that
    /// happened then.
    pub on: Option<NaiveDate>,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// The source gives a period, not the day.
    pub approximate: Option<bool>,
}

/// An event of a series' history, recorded on the day it happened.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"on": "2020-10-01", "kind": "resumed", "note": "När pandemins andra våg kom kunde dessa lägesavstämningar lätt återupptas igen.", "approximate": true}))]
pub struct RecordTimelineEntry {
    pub on: NaiveDate,
    /// `frequency_changed`, `paused`, `resumed` or `ended` (a series starts once).
    #[schema(value_type = TimelineKind)]
    pub kind: String,
    /// For `frequency_changed`.
    #[schema(value_type = Option<Frequency>)]
    pub frequency: Option<String>,
    /// For `paused`.
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// The source gives a period, not the day: `on` is its first day.
    pub approximate: Option<bool>,
}

/// Filters of the series list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    pub network_id: Option<Uuid>,
    pub status: Option<SeriesStatus>,
}
