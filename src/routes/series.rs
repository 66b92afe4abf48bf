//! `/api/v1/meeting-series`: recurring meetings of a network with their history (seed
//! 000: weekly in spring, sparser, paused, resumed in the second wave), their meetings
//! planned from it. Those who see the network see its series; its coordinators and
//! admins write.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::db::Db;
use crate::error::{ApiResult, Validator};
use crate::kit::body::Body;
use crate::kit::idempotency::{self, Created, IdempotencyKey};
use crate::kit::precondition::IfMatch;
use crate::kit::query::{Id, Query};
use crate::kit::resource::{Callers, Resource};
use crate::kit::{ok_with_etag, writable};
use crate::models::meeting::{self, MeetingFilter, MeetingKind, MeetingMode};
use crate::models::network;
use crate::models::recurrence::{Frequency, TimelineKind, WeekdayName};
use crate::models::series::{self as model, Series, SeriesFields, SeriesHistory};
use crate::models::timeline::NewEntry;
use crate::pagination::{Entry, List, ListQuery};
use crate::policy::{Reach, Visibility};
use crate::routes::meetings::{DEFAULT_TIME_ZONE, MeetingDto, seen_dto};
use crate::validation;

mod types;
pub use types::*;

fn check(v: &mut Validator, fields: &mut SeriesFields) {
    fields.title = validation::text(v, "title", &fields.title, 1, 300);
    fields.location = validation::optional_text(v, "location", fields.location.as_deref(), 500);
    fields.online_url = validation::optional_url(v, "online_url", fields.online_url.as_deref());
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

/// List the series you may see.
#[utoipa::path(
    tag = "meeting-series",
    params(ListQuery, SeriesQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "One page of series", body = List<Entry<SeriesDto>>))
)]
#[get("/meeting-series")]
pub async fn list_series(
    caller: Caller,
    db: web::Data<Db>,
    list: Query<ListQuery>,
    query: Query<SeriesQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let page = list.get()?.page()?;
    let query = query.get()?;
    let network_id = query.network_id.map(|u| u.to_string());
    let (limit, reach) = (page.limit, caller.reach);
    let for_dto = reach.clone();
    let result = db
        .read(move |conn| model::list(conn, &reach, network_id.as_deref(), query.status, &page))
        .await?;
    let data = Entry::page(result.rows, |s| series_dto(&for_dto, s));
    Ok(List::new(data, limit, result.next, &req).respond())
}

/// The fields of a new series, validated; and whether a visibility was given (the
/// default is the network's).
pub(crate) fn new_fields(v: &mut Validator, input: CreateSeries) -> (SeriesFields, bool) {
    let network_id = validation::uuid(v, "network_id", &input.network_id);
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
    let visibility = validation::optional_choice(v, "visibility", input.visibility.as_deref());
    let mut fields = SeriesFields {
        network_id,
        title: input.title,
        frequency: validation::choice(v, "frequency", &input.frequency)
            .unwrap_or(Frequency::Weekly),
        weekday: validation::choice(v, "weekday", &input.weekday).unwrap_or(WeekdayName::Monday),
        start_time: input
            .start_time
            .as_deref()
            .map(|t| crate::times::check_time_of_day(v, "start_time", t)),
        duration_minutes: input.duration_minutes,
        time_zone,
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        kind: validation::optional_choice(v, "kind", input.kind.as_deref())
            .unwrap_or(MeetingKind::NetworkMeeting),
        mode: validation::optional_choice(v, "mode", input.mode.as_deref())
            .unwrap_or(MeetingMode::Digital),
        location: input.location,
        online_url: input.online_url,
        visibility: visibility.unwrap_or(Visibility::Restricted),
        skip_holidays: input.skip_holidays.unwrap_or(true),
    };
    check(v, &mut fields);
    (fields, visibility.is_some())
}

/// Create a series in a network you coordinate. Its meetings are planned at once, from
/// its first day (those in the past as `held`, a series of spring 2020 included) to
/// eight weeks ahead, none on a Swedish public holiday.
#[utoipa::path(
    tag = "meeting-series",
    request_body = CreateSeries,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = SeriesDto,
        headers(("Location" = String, description = "The series' address"), ("ETag" = String, description = "Its version"))))
)]
#[post("/meeting-series")]
pub async fn create_series(
    caller: Caller,
    db: web::Data<Db>,
    key: IdempotencyKey,
    body: Body<CreateSeries>,
) -> ApiResult<HttpResponse> {
    let user = caller.signed_in()?;
    let network_id = body.peek("network_id").unwrap_or_default().to_string();
    let fingerprint = body.fingerprint();
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    idempotency::create(
        &db,
        user,
        key,
        "POST /meeting-series",
        fingerprint.as_deref(),
        move |conn| {
            let net = network::require_visible(conn, &reach, &network_id, "network_id", true)?;
            let net = reach.manage(net)?;
            let mut v = Validator::new();
            let (mut fields, visibility_given) = new_fields(&mut v, body.parse()?);
            v.finish()?;
            if !visibility_given {
                fields.visibility = net.visibility;
            }
            let user = reach.identity().map(|i| i.user_id.clone());
            let series = model::create(conn, &net, &fields, None, user.as_deref(), reach.today())?;
            actor.record(conn, "meeting_series.create", "meeting_series", &series.id)?;
            let (location, version) = (
                format!("/api/v1/meeting-series/{}", series.id),
                series.version,
            );
            let shown = model::with_history(conn, series)?;
            Ok(Created::new(location, version, &history_dto(&reach, shown)))
        },
    )
    .await
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
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
    body: Body<UpdateSeries>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let for_dto = reach.clone();
    let series = db
        .write(move |conn| {
            let current = writable(&reach, model::find(conn, &reach, &id, true), &if_match)?;
            let change = body.parse()?;
            let mut fields = SeriesFields::of(&current);
            let mut v = Validator::new();
            crate::patch!(&mut v, fields, change, { title, frequency: choice, weekday: choice });
            if let Some(t) = &change.start_time {
                fields.start_time = t
                    .as_deref()
                    .map(|t| crate::times::check_time_of_day(&mut v, "start_time", t));
            }
            crate::patch!(&mut v, fields, change, { duration_minutes, ends_on, location, online_url, starts_on, skip_holidays });
            check(&mut v, &mut fields);
            v.finish()?;
            let user = reach.identity().map(|i| i.user_id.clone());
            let series = model::update(conn, &current, &fields, user.as_deref(), reach.today())?;
            actor.record(conn, "meeting_series.update", "meeting_series", &id)?;
            model::with_history(conn, series)
        })
        .await?;
    Ok(ok_with_etag(
        series.series.version,
        &history_dto(&for_dto, series),
    ))
}

/// Pause a series from today, or from a day in the past that is being recorded: its
/// planned meetings from then on are cancelled and the reason kept in its timeline
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
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    body: Body<PauseSeries>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let for_dto = reach.clone();
    let series = db
        .write(move |conn| {
            let current = reach.manage(model::find(conn, &reach, &id, true)?)?;
            let input = body.parse()?;
            let mut v = Validator::new();
            let reason = validation::text(&mut v, "reason", &input.reason, 1, 1000);
            let note = validation::optional_text(&mut v, "note", input.note.as_deref(), 2000);
            v.finish()?;
            let on = match input.on {
                Some(day) => day,
                None => crate::models::timeline::default_day(conn, &current.id, reach.today())?,
            };
            let entry = entry(
                &reach,
                on,
                TimelineKind::Paused,
                None,
                Some(reason),
                note,
                input.approximate,
            );
            let series = model::pause(conn, &current, entry, reach.today())?;
            actor.record(conn, "meeting_series.pause", "meeting_series", &id)?;
            model::with_history(conn, series)
        })
        .await?;
    Ok(ok_with_etag(
        series.series.version,
        &history_dto(&for_dto, series),
    ))
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
pub async fn resume_series(caller: Caller, db: web::Data<Db>, id: Id) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let for_dto = reach.clone();
    let series = db
        .write(move |conn| {
            let current = reach.manage(model::find(conn, &reach, &id, true)?)?;
            let on = crate::models::timeline::default_day(conn, &current.id, reach.today())?;
            let entry = entry(&reach, on, TimelineKind::Resumed, None, None, None, None);
            let series = model::resume(conn, &current, entry, reach.today())?;
            actor.record(conn, "meeting_series.resume", "meeting_series", &id)?;
            model::with_history(conn, series)
        })
        .await?;
    Ok(ok_with_etag(
        series.series.version,
        &history_dto(&for_dto, series),
    ))
}

/// An entry of the timeline, made now by the caller.
fn entry(
    reach: &Reach,
    on: chrono::NaiveDate,
    kind: TimelineKind,
    frequency: Option<Frequency>,
    reason: Option<String>,
    note: Option<String>,
    approximate: Option<bool>,
) -> NewEntry {
    NewEntry {
        on,
        kind,
        frequency,
        reason,
        note,
        approximate: approximate.unwrap_or(false),
        recorded_at: crate::db::now(),
        recorded_by: reach.identity().map(|i| i.user_id.clone()),
    }
}

/// Record an event of the series' history on the day it happened — a change of
/// frequency, a pause (with its reason), a resumption, its end — also long after (a
/// series entered from old records). The timeline is kept in date order and must tell a
/// possible story (422 naming what is wrong); the series' meetings are planned again
/// (coordinators and admins).
#[utoipa::path(
    tag = "meeting-series",
    params(("id" = Uuid, Path, description = "The series' id")),
    request_body = RecordTimelineEntry,
    security(("bearer" = [])),
    responses((status = 200, description = "The series with its timeline", body = SeriesDto, headers(("ETag" = String, description = "Its new version"))))
)]
#[post("/meeting-series/{id}/timeline")]
pub async fn record_timeline_entry(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
    body: Body<RecordTimelineEntry>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let for_dto = reach.clone();
    let series = db
        .write(move |conn| {
            let current = writable(&reach, model::find(conn, &reach, &id, true), &if_match)?;
            let input = body.parse()?;
            let mut v = Validator::new();
            let kind: Option<TimelineKind> = validation::choice(&mut v, "kind", &input.kind);
            v.check(
                kind != Some(TimelineKind::Started),
                "kind",
                "a series starts once (change starts_on instead)",
            );
            let frequency =
                validation::optional_choice(&mut v, "frequency", input.frequency.as_deref());
            let reason = validation::optional_text(&mut v, "reason", input.reason.as_deref(), 1000);
            let note = validation::optional_text(&mut v, "note", input.note.as_deref(), 2000);
            v.check(
                kind != Some(TimelineKind::Paused) || reason.is_some(),
                "reason",
                "is required for a pause",
            );
            v.finish()?;
            let Some(kind) = kind else {
                return Err(crate::error::ApiError::invalid_field("kind", "is required"));
            };
            let entry = entry(
                &reach,
                input.on,
                kind,
                frequency,
                reason,
                note,
                input.approximate,
            );
            let series = model::record(conn, &current, entry, reach.today())?;
            actor.record(conn, "meeting_series.timeline", "meeting_series", &id)?;
            model::with_history(conn, series)
        })
        .await?;
    Ok(ok_with_etag(
        series.series.version,
        &history_dto(&for_dto, series),
    ))
}

/// The meetings of a series (planned by it, or attached to it), in time order.
#[utoipa::path(
    tag = "meeting-series",
    params(("id" = Uuid, Path, description = "The series' id"), ListQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "One page of the series' meetings", body = List<Entry<MeetingDto>>))
)]
#[get("/meeting-series/{id}/meetings")]
pub async fn list_series_meetings(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    list: Query<ListQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let [id] = id.get()?;
    let page = list.get()?.page()?;
    let (limit, reach) = (page.limit, caller.reach);
    let for_dto = reach.clone();
    let result = db
        .read(move |conn| {
            model::find(conn, &reach, &id, false)?;
            let filter = MeetingFilter {
                series_id: Some(id.clone()),
                ..Default::default()
            };
            meeting::list(conn, &reach, &page, &filter)
        })
        .await?;
    let mut rows = result.rows;
    rows.sort_by_key(|m| m.meeting.starts_at);
    let data = Entry::page(rows, |m| seen_dto(&for_dto, m));
    Ok(List::new(data, limit, result.next, &req).respond())
}

/// AllSeries as the conventions kit serves them.
pub struct AllSeries;

impl Resource for AllSeries {
    type Row = Series;
    type Dto = SeriesDto;
    const CALLERS: Callers = Callers::Anyone;

    fn dto(shown: SeriesHistory, reach: &Reach) -> SeriesDto {
        history_dto(reach, shown)
    }
}

crate::resource_routes!(
    AllSeries,
    tag = "meeting-series",
    route = ("/meeting-series/{id}"),
    id = "The series' id",
    dto = SeriesDto,
    get = (
        get_series,
        ["Get a series."],
        "The series",
        security = [(), ("bearer" = [])]
    ),
    delete = (
        delete_series,
        ["Delete a series (coordinators and admins); the meetings it created stay."],
        "Deleted"
    ),
);

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_series)
        .service(create_series)
        .service(get_series)
        .service(update_series)
        .service(delete_series)
        .service(pause_series)
        .service(resume_series)
        .service(record_timeline_entry)
        .service(list_series_meetings);
}
