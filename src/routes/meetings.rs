//! `/api/v1/meetings`: meetings with their agenda and attendees, and calendar feeds.
//! Readers follow `visibility` and the network; coordinators and admins write.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{AuthUser, MaybeAuthUser};
use crate::db::Db;
use crate::error::{ApiError, ApiResult, Validator};
use crate::etag::IfMatch;
use crate::kit::body::{Json, not_null, nullable};
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::models::access::Visibility;
use crate::models::audit;
use crate::models::meeting::{
    self as model, Meeting, MeetingAccess, MeetingFields, MeetingFilter, MeetingKind, MeetingMode,
    MeetingStatus,
};
use crate::pagination::{Entry, List, ListQuery};
use crate::routes::{ok_with_etag, path_id, today, utc, uuid};
use crate::validation;

/// The default time zone of meetings.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Stockholm";

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
    /// Grows with every change, also of the agenda and attendance.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A stored UTC instant in the meeting's zone.
pub fn local(at: NaiveDateTime, zone: &str) -> DateTime<FixedOffset> {
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::Europe::Stockholm);
    tz.from_utc_datetime(&at).fixed_offset()
}

/// The meeting as this viewer may see it.
pub fn meeting_dto(m: Meeting, access: MeetingAccess) -> MeetingDto {
    MeetingDto {
        id: uuid(&m.id),
        network_id: m.network_id.as_deref().map(uuid),
        series_id: m.series_id.as_deref().map(uuid),
        organizer_organization_id: m.organizer_organization_id.as_deref().map(uuid),
        kind: MeetingKind::parse(&m.kind).unwrap_or(MeetingKind::Other),
        starts_at: local(m.starts_at, &m.time_zone),
        ends_at: local(m.ends_at, &m.time_zone),
        mode: MeetingMode::parse(&m.mode).unwrap_or(MeetingMode::InPerson),
        status: MeetingStatus::parse(&m.status).unwrap_or(MeetingStatus::Planned),
        visibility: Visibility::parse(&m.visibility).unwrap_or(Visibility::Restricted),
        online_url: if access.may_attend {
            m.online_url
        } else {
            None
        },
        title: m.title,
        description: m.description,
        time_zone: m.time_zone,
        location: m.location,
        version: m.version,
        created_at: utc(m.created_at),
        updated_at: utc(m.updated_at),
    }
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
    "online_url": "https://teams.microsoft.com/l/meetup-join/exempel"
}))]
pub struct CreateMeeting {
    /// The network it belongs to; its coordinators manage it.
    #[schema(value_type = Option<Uuid>)]
    pub network_id: Option<String>,
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
    /// RFC 3339 with an offset, or local time (`2020-05-08T09:00`) in `time_zone`.
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: String,
    /// After `starts_at`.
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: String,
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
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: Option<String>,
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
}

/// Filters of the meeting list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingQuery {
    pub network_id: Option<Uuid>,
    pub series_id: Option<Uuid>,
    /// Only meetings that end after this instant.
    #[param(value_type = Option<String>, format = DateTime, example = "2020-01-01T00:00:00Z")]
    pub from: Option<DateTime<Utc>>,
    /// Only meetings that start before this instant.
    #[param(value_type = Option<String>, format = DateTime, example = "2020-12-31T23:59:59Z")]
    pub to: Option<DateTime<Utc>>,
    pub status: Option<MeetingStatus>,
    pub kind: Option<MeetingKind>,
}

/// Parses a meeting time: RFC 3339, or local time in `tz`.
fn parse_time(
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

fn parse_enum<T: Copy>(
    v: &mut Validator,
    field: &str,
    text: Option<&str>,
    parse: fn(&str) -> Option<T>,
    expected: fn() -> String,
    current: T,
) -> T {
    match text {
        None => current,
        Some(t) => parse(t).unwrap_or_else(|| {
            v.add(field, expected());
            current
        }),
    }
}

fn zone(v: &mut Validator, text: Option<&str>, current: &str) -> (String, chrono_tz::Tz) {
    let name = text.unwrap_or(current);
    match name.parse::<chrono_tz::Tz>() {
        Ok(tz) => (tz.name().to_string(), tz),
        Err(_) => {
            v.add(
                "time_zone",
                "must be an IANA time zone such as Europe/Stockholm",
            );
            (current.to_string(), chrono_tz::Europe::Stockholm)
        }
    }
}

fn check_texts(v: &mut Validator, fields: &mut MeetingFields) {
    fields.title = validation::text(v, "title", &fields.title, 1, 300);
    fields.description =
        validation::optional_text(v, "description", fields.description.as_deref(), 20_000);
    fields.location = validation::optional_text(v, "location", fields.location.as_deref(), 500);
    fields.online_url = fields
        .online_url
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    if let Some(url) = &fields.online_url {
        v.check_result("online_url", validation::check_url(url));
    }
    v.check(
        fields.ends_at > fields.starts_at,
        "ends_at",
        "must be after starts_at",
    );
}

/// List the meetings you may see.
#[utoipa::path(
    tag = "meetings",
    params(ListQuery, MeetingQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "One page of meetings", body = List<Entry<MeetingDto>>))
)]
#[get("/meetings")]
pub async fn list_meetings(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    list: web::Query<ListQuery>,
    query: web::Query<MeetingQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = list.page()?;
    let viewer = auth.viewer();
    let filter = MeetingFilter {
        network_id: query.network_id.map(|u| u.to_string()),
        series_id: query.series_id.map(|u| u.to_string()),
        from: query.from.map(|t| t.naive_utc()),
        to: query.to.map(|t| t.naive_utc()),
        status: query.status,
        kind: query.kind,
    };
    let limit = page.limit;
    let (rows, next) = db
        .read(move |conn| {
            let result = model::list(conn, &viewer, &page, &filter, today())?;
            let mut rows = Vec::new();
            for m in result.rows {
                let access = model::access_to(conn, &viewer, &m, today())?;
                rows.push((m, access));
            }
            Ok((rows, result.next))
        })
        .await?;
    let data = rows
        .into_iter()
        .map(|(m, access)| match m.deleted_at {
            Some(at) => Entry::tombstone(&m.id, at),
            None => Entry::Live(meeting_dto(m, access)),
        })
        .collect();
    Ok(HttpResponse::Ok().json(List::new(data, limit, next, &req)))
}

/// Create a meeting: in a network (its coordinators and admins), or outside any network
/// organized by your own organization.
#[utoipa::path(
    tag = "meetings",
    request_body = CreateMeeting,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = MeetingDto,
        headers(("Location" = String, description = "The new meeting's address"), ("ETag" = String, description = "Its version"))))
)]
#[post("/meetings")]
pub async fn create_meeting(
    auth: AuthUser,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Json<CreateMeeting>,
) -> ApiResult<HttpResponse> {
    let input = body.body;
    let mut v = Validator::new();
    let network_id = input
        .network_id
        .as_deref()
        .map(|n| validation::uuid(&mut v, "network_id", n));
    let organizer = input
        .organizer_organization_id
        .as_deref()
        .map(|o| validation::uuid(&mut v, "organizer_organization_id", o));
    let (time_zone, tz) = zone(&mut v, input.time_zone.as_deref(), DEFAULT_TIME_ZONE);
    let starts_at = parse_time(&mut v, "starts_at", &input.starts_at, tz);
    let ends_at = parse_time(&mut v, "ends_at", &input.ends_at, tz);
    let default_kind = if network_id.is_some() {
        MeetingKind::NetworkMeeting
    } else {
        MeetingKind::Other
    };
    let kind = parse_enum(
        &mut v,
        "kind",
        input.kind.as_deref(),
        MeetingKind::parse,
        MeetingKind::expected,
        default_kind,
    );
    let mode = parse_enum(
        &mut v,
        "mode",
        input.mode.as_deref(),
        MeetingMode::parse,
        MeetingMode::expected,
        MeetingMode::InPerson,
    );
    let status = parse_enum(
        &mut v,
        "status",
        input.status.as_deref(),
        MeetingStatus::parse,
        MeetingStatus::expected,
        MeetingStatus::Planned,
    );
    let visibility = input.visibility.as_deref().map(|t| {
        parse_enum(
            &mut v,
            "visibility",
            Some(t),
            Visibility::parse,
            Visibility::expected,
            Visibility::Internal,
        )
    });
    let (Some(starts_at), Some(ends_at)) = (starts_at, ends_at) else {
        return Err(v
            .finish()
            .err()
            .unwrap_or_else(|| ApiError::invalid_field("starts_at", "is required")));
    };
    let mut fields = MeetingFields {
        network_id,
        organizer_organization_id: organizer,
        title: input.title,
        kind,
        description: input.description,
        starts_at,
        ends_at,
        time_zone,
        mode,
        location: input.location,
        online_url: input.online_url,
        status,
        visibility: visibility.unwrap_or(Visibility::Internal),
    };
    check_texts(&mut v, &mut fields);
    v.finish()?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    idempotency::create(&db, &auth, key, "POST /meetings", Some(&body.canonical), move |conn| {
        match &fields.network_id {
            Some(network_id) => {
                let net = crate::models::access::network_find_managed(conn, &viewer, network_id, today()).map_err(|e| {
                    if e.status().as_u16() == 404 {
                        ApiError::invalid_field("network_id", "no such network")
                    } else {
                        e
                    }
                })?;
                if fields.organizer_organization_id.is_none() {
                    fields.organizer_organization_id = Some(net.owner_organization_id.clone());
                }
                if visibility.is_none() {
                    fields.visibility = net.visibility;
                }
            }
            None => {
                if fields.organizer_organization_id.is_none() {
                    fields.organizer_organization_id = viewer.organization_id.clone();
                }
                if !viewer.admin && (fields.organizer_organization_id.is_none() || fields.organizer_organization_id != viewer.organization_id) {
                    return Err(ApiError::forbidden(
                        "outside a network you may create meetings organized by your own organization only",
                    ));
                }
            }
        }
        let meeting = model::create(conn, &fields, None)?;
        audit::record(conn, &actor, "meeting.create", "meeting", Some(&meeting.id), "success")?;
        let access = model::access_to(conn, &viewer, &meeting, today())?;
        Ok(Created::new(format!("/api/v1/meetings/{}", meeting.id), meeting.version, &meeting_dto(meeting, access)))
    })
    .await
}

/// Get a meeting.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The meeting", body = MeetingDto, headers(("ETag" = String, description = "Its version"))))
)]
#[get("/meetings/{id}")]
pub async fn get_meeting(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let (meeting, access) = db
        .read(move |conn| model::find_visible(conn, &viewer, &id, today()))
        .await?;
    Ok(ok_with_etag(meeting.version, &meeting_dto(meeting, access)))
}

/// Change a meeting (the network's coordinators and admins).
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    request_body = UpdateMeeting,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed meeting", body = MeetingDto, headers(("ETag" = String, description = "Its new version"))))
)]
#[patch("/meetings/{id}")]
pub async fn update_meeting(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: Json<UpdateMeeting>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let change = body.body;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let (meeting, access) = db
        .write(move |conn| {
            let current = model::find_managed(conn, &viewer, &id, today())?;
            let mut fields = MeetingFields::of(&current);
            let mut v = Validator::new();
            let (time_zone, tz) = zone(&mut v, change.time_zone.as_deref(), &current.time_zone);
            fields.time_zone = time_zone;
            if let Some(t) = &change.starts_at
                && let Some(at) = parse_time(&mut v, "starts_at", t, tz)
            {
                fields.starts_at = at;
            }
            if let Some(t) = &change.ends_at
                && let Some(at) = parse_time(&mut v, "ends_at", t, tz)
            {
                fields.ends_at = at;
            }
            if let Some(t) = change.title {
                fields.title = t;
            }
            if let Some(d) = change.description {
                fields.description = d;
            }
            if let Some(l) = change.location {
                fields.location = l;
            }
            if let Some(u) = change.online_url {
                fields.online_url = u;
            }
            if let Some(o) = change.organizer_organization_id {
                fields.organizer_organization_id =
                    o.map(|o| validation::uuid(&mut v, "organizer_organization_id", &o));
            }
            fields.kind = parse_enum(
                &mut v,
                "kind",
                change.kind.as_deref(),
                MeetingKind::parse,
                MeetingKind::expected,
                fields.kind,
            );
            fields.mode = parse_enum(
                &mut v,
                "mode",
                change.mode.as_deref(),
                MeetingMode::parse,
                MeetingMode::expected,
                fields.mode,
            );
            fields.status = parse_enum(
                &mut v,
                "status",
                change.status.as_deref(),
                MeetingStatus::parse,
                MeetingStatus::expected,
                fields.status,
            );
            fields.visibility = parse_enum(
                &mut v,
                "visibility",
                change.visibility.as_deref(),
                Visibility::parse,
                Visibility::expected,
                fields.visibility,
            );
            check_texts(&mut v, &mut fields);
            v.finish()?;
            if_match.check(current.version)?;
            let meeting = model::update(conn, &id, current.version, &fields)?;
            audit::record(
                conn,
                &actor,
                "meeting.update",
                "meeting",
                Some(&id),
                "success",
            )?;
            let access = model::access_to(conn, &viewer, &meeting, today())?;
            Ok((meeting, access))
        })
        .await?;
    Ok(ok_with_etag(meeting.version, &meeting_dto(meeting, access)))
}

/// Delete a meeting (the network's coordinators and admins).
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted; sync clients see a tombstone"))
)]
#[delete("/meetings/{id}")]
pub async fn delete_meeting(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    db.write(move |conn| {
        let current = model::find_managed(conn, &viewer, &id, today())?;
        if_match.check(current.version)?;
        model::delete(conn, &id, current.version)?;
        audit::record(
            conn,
            &actor,
            "meeting.delete",
            "meeting",
            Some(&id),
            "success",
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_meetings)
        .service(create_meeting)
        .service(get_meeting)
        .service(update_meeting)
        .service(delete_meeting);
}
