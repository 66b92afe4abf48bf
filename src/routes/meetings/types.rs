//! The request and response bodies of the meeting endpoints.

use crate::kit::body::{not_null, nullable};
use crate::models::meeting::{Meeting, MeetingKind, MeetingMode, MeetingStatus, SeenMeeting};
use crate::policy::{Reach, Visibility};
use crate::routes::{utc, uuid};
use crate::times::DayOrInstant;
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A meeting. Times carry the meeting's own UTC offset.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "019a8700-0000-7000-8000-000000000001",
    "network_id": "019a8600-0000-7000-8000-000000000001",
    "series_id": null,
    "organizer_organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "title": "IFO-chefsnätverket",
    "kind": "network_meeting",
    "description": "Gruppdialog om erfarenheter av pågående situation.",
    "starts_at": "2020-05-08T09:00:00+02:00",
    "ends_at": "2020-05-08T12:00:00+02:00",
    "time_zone": "Europe/Stockholm",
    "mode": "digital",
    "location": "Teams",
    "online_url": "https://teams.microsoft.com/l/meetup-join/exempel",
    "status": "held",
    "visibility": "restricted",
    "time_unspecified": false,
    "co_host_network_ids": ["019a8600-0000-7000-8000-000000000002"],
    "version": 4,
    "created_at": "2026-11-24T08:30:00Z",
    "updated_at": "2026-11-24T09:00:00Z"
}))]
pub struct MeetingDto {
    pub id: Uuid,
    pub network_id: Option<Uuid>,
    /// The series that generated it.
    pub series_id: Option<Uuid>,
    pub organizer_organization_id: Option<Uuid>,
    pub title: String,
    pub kind: MeetingKind,
    pub description: Option<String>,
    /// Start, with the offset of `time_zone` at that instant.
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    /// IANA time zone, e.g. `Europe/Stockholm`.
    pub time_zone: String,
    pub mode: MeetingMode,
    pub location: Option<String>,
    /// The link to join; `null` for those who may not attend.
    pub online_url: Option<String>,
    pub status: MeetingStatus,
    pub visibility: Visibility,
    /// Only the day is known (entered afterwards from a record without a time):
    /// `starts_at` and `ends_at` are the bounds of its days, and calendars show it as an
    /// all-day event.
    pub time_unspecified: bool,
    /// The networks holding it together with `network_id`: their insiders see it as
    /// insiders, their coordinators manage it, and it is in their lists and calendars.
    pub co_host_network_ids: Vec<Uuid>,
    /// Grows with every change, also of the agenda and attendance.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The meeting as served; the link to join only when `show_link` (those who may attend).
pub fn meeting_dto(m: Meeting, show_link: bool) -> MeetingDto {
    MeetingDto {
        id: uuid(&m.id),
        network_id: m.network_id.as_deref().map(uuid),
        series_id: m.series_id.as_deref().map(uuid),
        organizer_organization_id: m.organizer_organization_id.as_deref().map(uuid),
        kind: m.kind,
        starts_at: crate::times::local(m.starts_at, &m.time_zone),
        ends_at: crate::times::local(m.ends_at, &m.time_zone),
        mode: m.mode,
        status: m.status,
        visibility: m.visibility,
        time_unspecified: m.time_unspecified,
        co_host_network_ids: m.co_host_network_ids.iter().map(|n| uuid(n)).collect(),
        online_url: if show_link { m.online_url } else { None },
        title: m.title,
        description: m.description,
        time_zone: m.time_zone,
        location: m.location,
        version: m.version,
        created_at: utc(m.created_at),
        updated_at: utc(m.updated_at),
    }
}

/// A meeting as the caller sees it.
pub fn seen_dto(reach: &Reach, seen: SeenMeeting) -> MeetingDto {
    let show = reach.may_attend(&seen.facts());
    meeting_dto(seen.meeting, show)
}

/// A new meeting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "network_id": "019a8600-0000-7000-8000-000000000001",
    "title": "IFO-chefsnätverket",
    "kind": "network_meeting",
    "starts_at": "2020-05-08T09:00:00+02:00",
    "ends_at": "2020-05-08T12:00:00+02:00",
    "mode": "digital",
    "location": "Teams",
    "online_url": "https://teams.microsoft.com/l/meetup-join/exempel",
    "co_host_network_ids": ["019a8600-0000-7000-8000-000000000002"]
}))]
pub struct CreateMeeting {
    /// The network it belongs to; its coordinators manage it.
    #[schema(value_type = Option<Uuid>)]
    pub network_id: Option<String>,
    /// A series of the same network it belongs to (e.g. a meeting entered by hand for a
    /// series that met irregularly).
    #[schema(value_type = Option<Uuid>)]
    pub series_id: Option<String>,
    /// Default: the network's owner, or your own organization.
    #[schema(value_type = Option<Uuid>)]
    pub organizer_organization_id: Option<String>,
    #[schema(min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: String,
    /// Default `network_meeting` in a network, else `other`.
    #[schema(value_type = Option<MeetingKind>)]
    pub kind: Option<String>,
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    /// RFC 3339 with an offset, local time (`2020-05-08T09:00`) in `time_zone`, or a
    /// bare date (`2020-05-08`) when only the day is known.
    #[schema(example = "2020-05-08T09:00")]
    pub starts_at: String,
    /// After `starts_at`; required when it has a time. With a bare date: the last day
    /// (default: the same day).
    #[schema(example = "2020-05-08T12:00")]
    pub ends_at: Option<String>,
    /// An IANA zone; default `Europe/Stockholm`.
    #[schema(example = "Europe/Stockholm", max_length = 64)]
    pub time_zone: Option<String>,
    /// Default `in_person`.
    #[schema(value_type = Option<MeetingMode>)]
    pub mode: Option<String>,
    #[schema(max_length = 500)]
    pub location: Option<String>,
    #[schema(
        pattern = r"^https?://[^\s/?#\[\]@:]+(:[0-9]{1,5})?([/?#][^\s]*)?$",
        max_length = 2000
    )]
    pub online_url: Option<String>,
    /// Default `planned`.
    #[schema(value_type = Option<MeetingStatus>)]
    pub status: Option<String>,
    /// Default: the network's visibility, or `internal`.
    #[schema(value_type = Option<Visibility>)]
    pub visibility: Option<String>,
    /// Other networks holding it together with `network_id` (networks you can see; at
    /// most 20). Their insiders see it, their coordinators manage it.
    #[serde(default)]
    #[schema(value_type = Vec<Uuid>, max_items = 20)]
    pub co_host_network_ids: Vec<String>,
}

/// A change to a meeting; `null` clears an optional field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "held"}))]
pub struct UpdateMeeting {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 300, pattern = "\\S")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = MeetingKind)]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 20000)]
    pub description: Option<Option<String>>,
    /// As on create: a time, or a bare date when only the day is known.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, example = "2020-05-08T09:00")]
    pub starts_at: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, example = "2020-05-08T12:00")]
    pub ends_at: Option<String>,
    /// Attach it to a series of its network (`null` detaches it).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub series_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, max_length = 64)]
    pub time_zone: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = MeetingMode)]
    pub mode: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 500)]
    pub location: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(
        pattern = r"^https?://[^\s/?#\[\]@:]+(:[0-9]{1,5})?([/?#][^\s]*)?$",
        max_length = 2000
    )]
    pub online_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = MeetingStatus)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Visibility)]
    pub visibility: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub organizer_organization_id: Option<Option<String>>,
    /// The whole list of co-hosting networks (`[]`: none); whoever manages the meeting
    /// may change it.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Vec<Uuid>, max_items = 20)]
    pub co_host_network_ids: Option<Vec<String>>,
}

/// Filters of the meeting list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingQuery {
    /// A network's meetings: its own and those it co-hosts.
    pub network_id: Option<Uuid>,
    pub series_id: Option<Uuid>,
    /// Only meetings that end after this instant, or from the start of this day (Swedish
    /// time).
    #[param(schema_with = crate::pagination::day_or_instant, example = "2020-01-01")]
    pub from: Option<DayOrInstant>,
    /// Only meetings that start before this instant, or by the end of this day (Swedish
    /// time).
    #[param(schema_with = crate::pagination::day_or_instant, example = "2020-12-31")]
    pub to: Option<DayOrInstant>,
    pub status: Option<MeetingStatus>,
    pub kind: Option<MeetingKind>,
}
