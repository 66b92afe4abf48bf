//! `/api/v1/meeting-series`: recurring meetings of a network, kept planned eight weeks
//! ahead, paused and resumed with a reason (seed 000: weekly in spring, paused, resumed
//! in the second wave). Those who see the network see its series; its coordinators and
//! admins write.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{AuthUser, MaybeAuthUser};
use crate::db::{Db, DbConnection};
use crate::error::{ApiError, ApiResult, Validator};
use crate::etag::IfMatch;
use crate::kit::body::{Json, not_null, nullable};
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::models::access::{Viewer, Visibility};
use crate::models::meeting::{self, MeetingFilter, MeetingKind, MeetingMode};
use crate::models::series::{
    self as model, Frequency, Series, SeriesFields, SeriesStatus, WeekdayName,
};
use crate::models::{audit, network};
use crate::pagination::{Entry, List, ListQuery};
use crate::routes::meetings::{DEFAULT_TIME_ZONE, MeetingDto, meeting_dto};
use crate::routes::{ok_with_etag, path_id, today, utc, uuid};
use crate::validation;

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
    /// Local time `HH:MM` in `time_zone`; kept across daylight-saving changes.
    pub start_time: String,
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
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn series_dto(s: Series, may_attend: bool) -> SeriesDto {
    SeriesDto {
        id: uuid(&s.id),
        network_id: uuid(&s.network_id),
        frequency: Frequency::parse(&s.frequency).unwrap_or(Frequency::Weekly),
        weekday: WeekdayName::parse(&s.weekday).unwrap_or(WeekdayName::Monday),
        status: SeriesStatus::parse(&s.status).unwrap_or(SeriesStatus::Active),
        kind: MeetingKind::parse(&s.kind).unwrap_or(MeetingKind::Other),
        mode: MeetingMode::parse(&s.mode).unwrap_or(MeetingMode::Digital),
        visibility: Visibility::parse(&s.visibility).unwrap_or(Visibility::Restricted),
        online_url: if may_attend { s.online_url } else { None },
        title: s.title,
        start_time: s.start_time,
        duration_minutes: s.duration_minutes,
        time_zone: s.time_zone,
        starts_on: s.starts_on,
        ends_on: s.ends_on,
        status_reason: s.status_reason,
        location: s.location,
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
    /// Local time, `HH:MM`.
    #[schema(example = "09:00", pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start_time: String,
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
}

/// A change to a series; planned meetings not yet created follow it.
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
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start_time: Option<String>,
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

/// Why a series pauses.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Smittspridningen har minskat; mötena vilar över sommaren."}))]
pub struct PauseSeries {
    #[schema(min_length = 1, max_length = 1000, pattern = "\\S")]
    pub reason: String,
}

/// Filters of the series list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    pub network_id: Option<Uuid>,
    pub status: Option<SeriesStatus>,
}

fn check(v: &mut Validator, fields: &mut SeriesFields) {
    fields.title = validation::text(v, "title", &fields.title, 1, 300);
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
        (1..=1440).contains(&fields.duration_minutes),
        "duration_minutes",
        "must be between 1 and 1440",
    );
    if let Some(end) = fields.ends_on {
        v.check(
            end >= fields.starts_on,
            "ends_on",
            "must not be before starts_on",
        );
    }
}

fn parse<T>(
    v: &mut Validator,
    field: &str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    expected: fn() -> String,
    fallback: T,
) -> T {
    parse(text).unwrap_or_else(|| {
        v.add(field, expected());
        fallback
    })
}

fn time(v: &mut Validator, text: &str) -> NaiveTime {
    NaiveTime::parse_from_str(text, "%H:%M").unwrap_or_else(|_| {
        v.add("start_time", "must be HH:MM");
        NaiveTime::MIN
    })
}

/// The series, and whether the viewer may see its network (404 if not) and attend.
fn visible(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
) -> ApiResult<(Series, network::Network, crate::models::access::NetworkRole)> {
    let series = model::find(conn, id)?;
    let (net, role) =
        crate::models::access::network_find_visible(conn, viewer, &series.network_id, today())?;
    Ok((series, net, role))
}

fn managed(conn: &mut DbConnection, viewer: &Viewer, id: &str) -> ApiResult<Series> {
    let (series, _, role) = visible(conn, viewer, id)?;
    if role.manages() {
        Ok(series)
    } else {
        Err(ApiError::forbidden(
            "only the network's coordinators (and admins) may do this",
        ))
    }
}

/// List the series of the networks you may see.
#[utoipa::path(
    tag = "meeting-series",
    params(ListQuery, SeriesQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "One page of series", body = List<Entry<SeriesDto>>))
)]
#[get("/meeting-series")]
pub async fn list_series(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    list: web::Query<ListQuery>,
    query: web::Query<SeriesQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = list.page()?;
    let viewer = auth.viewer();
    let network_id = query.network_id.map(|u| u.to_string());
    let status = query.status;
    let limit = page.limit;
    let (rows, next) = db
        .read(move |conn| {
            let allowed = if viewer.admin {
                None
            } else {
                Some(crate::models::access::network_visible_ids(
                    conn,
                    &viewer,
                    today(),
                )?)
            };
            let result = model::list(conn, allowed, network_id.as_deref(), status, &page)?;
            let mut rows = Vec::new();
            for s in result.rows {
                let role =
                    crate::models::access::network_role(conn, &viewer, &s.network_id, today())?;
                rows.push((s, role.insider()));
            }
            Ok((rows, result.next))
        })
        .await?;
    let data = rows
        .into_iter()
        .map(|(s, insider)| match s.deleted_at {
            Some(at) => Entry::tombstone(&s.id, at),
            None => Entry::Live(series_dto(s, insider)),
        })
        .collect();
    Ok(HttpResponse::Ok().json(List::new(data, limit, next, &req)))
}

/// Create a series; its meetings of the next eight weeks are planned at once.
#[utoipa::path(
    tag = "meeting-series",
    request_body = CreateSeries,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = SeriesDto,
        headers(("Location" = String, description = "The series' address"), ("ETag" = String, description = "Its version"))))
)]
#[post("/meeting-series")]
pub async fn create_series(
    auth: AuthUser,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Json<CreateSeries>,
) -> ApiResult<HttpResponse> {
    let input = body.body;
    let mut v = Validator::new();
    let network_id = validation::uuid(&mut v, "network_id", &input.network_id);
    let time_zone: chrono_tz::Tz = input
        .time_zone
        .as_deref()
        .unwrap_or(DEFAULT_TIME_ZONE)
        .parse()
        .unwrap_or_else(|_| {
            v.add(
                "time_zone",
                "must be an IANA time zone such as Europe/Stockholm",
            );
            chrono_tz::Europe::Stockholm
        });
    let visibility = input.visibility.as_deref().map(|t| {
        parse(
            &mut v,
            "visibility",
            t,
            Visibility::parse,
            Visibility::expected,
            Visibility::Restricted,
        )
    });
    let mut fields = SeriesFields {
        network_id,
        title: input.title,
        frequency: parse(
            &mut v,
            "frequency",
            &input.frequency,
            Frequency::parse,
            Frequency::expected,
            Frequency::Weekly,
        ),
        weekday: parse(
            &mut v,
            "weekday",
            &input.weekday,
            WeekdayName::parse,
            WeekdayName::expected,
            WeekdayName::Monday,
        ),
        start_time: time(&mut v, &input.start_time),
        duration_minutes: input.duration_minutes,
        time_zone,
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        kind: input
            .kind
            .as_deref()
            .map_or(MeetingKind::NetworkMeeting, |k| {
                parse(
                    &mut v,
                    "kind",
                    k,
                    MeetingKind::parse,
                    MeetingKind::expected,
                    MeetingKind::Other,
                )
            }),
        mode: input.mode.as_deref().map_or(MeetingMode::Digital, |m| {
            parse(
                &mut v,
                "mode",
                m,
                MeetingMode::parse,
                MeetingMode::expected,
                MeetingMode::Digital,
            )
        }),
        location: input.location,
        online_url: input.online_url,
        visibility: visibility.unwrap_or(Visibility::Restricted),
    };
    check(&mut v, &mut fields);
    v.finish()?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    idempotency::create(
        &db,
        &auth,
        key,
        "POST /meeting-series",
        Some(&body.canonical),
        move |conn| {
            let net = crate::models::access::network_find_managed(
                conn,
                &viewer,
                &fields.network_id,
                today(),
            )
            .map_err(|e| {
                if e.status().as_u16() == 404 {
                    ApiError::invalid_field("network_id", "no such network")
                } else {
                    e
                }
            })?;
            if visibility.is_none() {
                fields.visibility = net.visibility;
            }
            let series = model::create(conn, &fields, today())?;
            audit::record(
                conn,
                &actor,
                "meeting_series.create",
                "meeting_series",
                Some(&series.id),
                "success",
            )?;
            Ok(Created::new(
                format!("/api/v1/meeting-series/{}", series.id),
                series.version,
                &series_dto(series, true),
            ))
        },
    )
    .await
}

/// Get a series.
#[utoipa::path(
    tag = "meeting-series",
    params(("id" = Uuid, Path, description = "The series' id")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The series", body = SeriesDto, headers(("ETag" = String, description = "Its version"))))
)]
#[get("/meeting-series/{id}")]
pub async fn get_series(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let (series, _, role) = db.read(move |conn| visible(conn, &viewer, &id)).await?;
    Ok(ok_with_etag(
        series.version,
        &series_dto(series, role.insider()),
    ))
}

/// Change a series (coordinators and admins).
#[utoipa::path(
    tag = "meeting-series",
    params(("id" = Uuid, Path, description = "The series' id")),
    request_body = UpdateSeries,
    security(("bearer" = [])),
    responses((status = 200, description = "The changed series", body = SeriesDto, headers(("ETag" = String, description = "Its new version"))))
)]
#[patch("/meeting-series/{id}")]
pub async fn update_series(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: Json<UpdateSeries>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let change = body.body;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let series = db
        .write(move |conn| {
            let current = managed(conn, &viewer, &id)?;
            let mut fields = SeriesFields::of(&current);
            let mut v = Validator::new();
            if let Some(t) = change.title {
                fields.title = t;
            }
            if let Some(f) = &change.frequency {
                fields.frequency = parse(
                    &mut v,
                    "frequency",
                    f,
                    Frequency::parse,
                    Frequency::expected,
                    fields.frequency,
                );
            }
            if let Some(w) = &change.weekday {
                fields.weekday = parse(
                    &mut v,
                    "weekday",
                    w,
                    WeekdayName::parse,
                    WeekdayName::expected,
                    fields.weekday,
                );
            }
            if let Some(t) = &change.start_time {
                fields.start_time = time(&mut v, t);
            }
            if let Some(d) = change.duration_minutes {
                fields.duration_minutes = d;
            }
            if let Some(e) = change.ends_on {
                fields.ends_on = e;
            }
            if let Some(l) = change.location {
                fields.location = l;
            }
            if let Some(u) = change.online_url {
                fields.online_url = u;
            }
            check(&mut v, &mut fields);
            v.finish()?;
            if_match.check(current.version)?;
            let series = model::update(conn, &id, current.version, &fields, today())?;
            audit::record(
                conn,
                &actor,
                "meeting_series.update",
                "meeting_series",
                Some(&id),
                "success",
            )?;
            Ok(series)
        })
        .await?;
    Ok(ok_with_etag(series.version, &series_dto(series, true)))
}

/// Delete a series (coordinators and admins); the meetings it created stay.
#[utoipa::path(
    tag = "meeting-series",
    params(("id" = Uuid, Path, description = "The series' id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted"))
)]
#[delete("/meeting-series/{id}")]
pub async fn delete_series(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    db.write(move |conn| {
        let current = managed(conn, &viewer, &id)?;
        if_match.check(current.version)?;
        model::delete(conn, &id, current.version)?;
        audit::record(
            conn,
            &actor,
            "meeting_series.delete",
            "meeting_series",
            Some(&id),
            "success",
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Pause a series: its future planned meetings are cancelled and the reason kept
/// (coordinators and admins). 409 unless it is active.
#[utoipa::path(
    tag = "meeting-series",
    params(("id" = Uuid, Path, description = "The series' id")),
    request_body = PauseSeries,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Paused", body = SeriesDto),
        (status = 409, description = "The series is not active; `current_status` says what it is", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/meeting-series/{id}/pause")]
pub async fn pause_series(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    body: Json<PauseSeries>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let mut v = Validator::new();
    let reason = validation::text(&mut v, "reason", &body.body.reason, 1, 1000);
    v.finish()?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let series = db
        .write(move |conn| {
            let current = managed(conn, &viewer, &id)?;
            model::pause(conn, &current, &reason)?;
            audit::record(
                conn,
                &actor,
                "meeting_series.pause",
                "meeting_series",
                Some(&id),
                "success",
            )?;
            model::find(conn, &id)
        })
        .await?;
    Ok(ok_with_etag(series.version, &series_dto(series, true)))
}

/// Resume a paused series from today: its meetings are planned again (coordinators
/// and admins). 409 unless it is paused.
#[utoipa::path(
    tag = "meeting-series",
    params(("id" = Uuid, Path, description = "The series' id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Resumed", body = SeriesDto),
        (status = 409, description = "The series is not paused; `current_status` says what it is", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/meeting-series/{id}/resume")]
pub async fn resume_series(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let series = db
        .write(move |conn| {
            let current = managed(conn, &viewer, &id)?;
            model::resume(conn, &current, today())?;
            audit::record(
                conn,
                &actor,
                "meeting_series.resume",
                "meeting_series",
                Some(&id),
                "success",
            )?;
            model::find(conn, &id)
        })
        .await?;
    Ok(ok_with_etag(series.version, &series_dto(series, true)))
}

/// The meetings a series generated, in time order.
#[utoipa::path(
    tag = "meeting-series",
    params(("id" = Uuid, Path, description = "The series' id"), ListQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "One page of the series' meetings", body = List<Entry<MeetingDto>>))
)]
#[get("/meeting-series/{id}/meetings")]
pub async fn list_series_meetings(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    list: web::Query<ListQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let page = list.page()?;
    let viewer = auth.viewer();
    let limit = page.limit;
    let (rows, next) = db
        .read(move |conn| {
            visible(conn, &viewer, &id)?;
            let filter = MeetingFilter {
                series_id: Some(id.clone()),
                ..Default::default()
            };
            let result = meeting::list(conn, &viewer, &page, &filter, today())?;
            let mut rows = Vec::new();
            for m in result.rows {
                let access = meeting::access_to(conn, &viewer, &m, today())?;
                rows.push((m, access));
            }
            Ok((rows, result.next))
        })
        .await?;
    let mut data: Vec<(chrono::NaiveDateTime, Entry<MeetingDto>)> = rows
        .into_iter()
        .map(|(m, access)| {
            let start = m.starts_at;
            let entry = match m.deleted_at {
                Some(at) => Entry::tombstone(&m.id, at),
                None => Entry::Live(meeting_dto(m, access)),
            };
            (start, entry)
        })
        .collect();
    data.sort_by_key(|(start, _)| *start);
    let data = data.into_iter().map(|(_, e)| e).collect();
    Ok(HttpResponse::Ok().json(List::new(data, limit, next, &req)))
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_series)
        .service(create_series)
        .service(get_series)
        .service(update_series)
        .service(delete_series)
        .service(pause_series)
        .service(resume_series)
        .service(list_series_meetings);
}
