//! iCalendar feeds of a meeting and of a network, for calendar programs. A network's
//! feed holds a bounded window (90 days back and everything ahead unless `from`/`to`
//! say otherwise) and answers a poll whose `If-None-Match` still holds with 304, without
//! loading a single event.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{NaiveDateTime, TimeDelta, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::db::Db;
use crate::error::ApiResult;
use crate::kit::precondition::not_modified;
use crate::kit::query::{Id, Query};
use crate::models::meeting::{self as model, Meeting, MeetingFilter, MeetingStatus};
use crate::models::network;
use crate::policy::Reach;
use crate::times::DayOrInstant;

/// How far back a network's feed reaches by default.
pub const DEFAULT_DAYS_BACK: i64 = 90;

/// The calendar event of a meeting; the link only for those who may attend.
pub fn event(m: &Meeting, show_link: bool) -> crate::ical::Event {
    crate::ical::Event {
        uid: format!("{}@samverkan", m.id),
        sequence: m.version - 1,
        stamp: m.updated_at,
        start: m.starts_at,
        end: m.ends_at,
        summary: m.title.clone(),
        description: m.description.clone(),
        location: m.location.clone(),
        url: if show_link {
            m.online_url.clone()
        } else {
            None
        },
        cancelled: m.status == MeetingStatus::Cancelled,
        tentative: m.status == MeetingStatus::Postponed,
        days: m.time_unspecified.then(|| {
            let day = |at| crate::times::local(at, &m.time_zone).date_naive();
            (day(m.starts_at), day(m.ends_at))
        }),
    }
}

/// The response of a calendar feed: private to the caller, revalidated on every poll.
fn ics(
    body: String,
    filename: &str,
    etag: &str,
    last_modified: Option<NaiveDateTime>,
) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{filename}\""),
        ))
        .insert_header((header::ETAG, etag.to_string()))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"));
    if let Some(at) = last_modified {
        response.insert_header((header::LAST_MODIFIED, http_date(at)));
    }
    response.body(body)
}

fn not_modified_response(etag: &str, last_modified: Option<NaiveDateTime>) -> HttpResponse {
    let mut response = HttpResponse::NotModified();
    response
        .insert_header((header::ETAG, etag.to_string()))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"));
    if let Some(at) = last_modified {
        response.insert_header((header::LAST_MODIFIED, http_date(at)));
    }
    response.finish()
}

fn http_date(at: NaiveDateTime) -> String {
    at.and_utc().format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// The API token of calendar feeds, and a network feed's window.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// An API token (`smv_…`), for calendar programs that cannot send an
    /// `Authorization` header. Prefer a read-only token.
    pub token: Option<String>,
    /// Meetings that end after this (a day: its start, Swedish time). Default: 90 days ago.
    #[param(schema_with = crate::pagination::day_or_instant, example = "2020-01-01")]
    pub from: Option<DayOrInstant>,
    /// Meetings that start before this (a day: its end, Swedish time). Default: no end.
    #[param(schema_with = crate::pagination::day_or_instant, example = "2020-12-31")]
    pub to: Option<DayOrInstant>,
}

/// The entity tag of a view of a feed: what it holds, and who it is for (insiders see
/// links to join, others do not).
fn feed_tag(parts: &[String]) -> String {
    format!(
        "W/\"{}\"",
        crate::secrets::hash_secret(&parts.join("|"))
            .get(..24)
            .unwrap_or("")
    )
}

/// One meeting as an iCalendar file (RFC 5545).
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id"), CalendarQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A VCALENDAR with one VEVENT", content_type = "text/calendar", body = String,
            headers(("ETag" = String, description = "Changes when the meeting does")),
            example = json!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…\r\nEND:VCALENDAR\r\n")),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
    )
)]
#[get("/meetings/{id}/ical")]
pub async fn get_meeting_ical(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    query: Query<CalendarQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let [id] = id.get()?;
    query.get()?;
    let reach: Reach = caller.reach;
    let for_view = reach.clone();
    let seen = db
        .read(move |conn| model::find(conn, &reach, &id, false))
        .await?;
    let link = for_view.may_attend(&seen.facts());
    let m = seen.meeting;
    let tag = feed_tag(&[m.id.clone(), m.version.to_string(), link.to_string()]);
    if not_modified(req.head(), &tag) {
        return Ok(not_modified_response(&tag, Some(m.updated_at)));
    }
    let body = crate::ical::calendar(&m.title, &[event(&m, link)]);
    Ok(ics(
        body,
        &format!("{}.ics", m.id),
        &tag,
        Some(m.updated_at),
    ))
}

/// A network's meetings as a subscribable calendar (RFC 5545): those you may see in the
/// window, cancelled ones as `STATUS:CANCELLED`.
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id"), CalendarQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A VCALENDAR with the network's meetings you may see in the window",
            content_type = "text/calendar", body = String,
            headers(("ETag" = String, description = "Changes when a meeting in the window does"),
                ("Last-Modified" = String, description = "The latest change to a meeting in the window")),
            example = json!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…\r\nEND:VCALENDAR\r\n")),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
    )
)]
#[get("/networks/{id}/calendar.ics")]
pub async fn get_network_calendar(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    query: Query<CalendarQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let [id] = id.get()?;
    let query = query.get()?;
    let tz = chrono_tz::Europe::Stockholm;
    let from = query.from.map_or_else(
        || (Utc::now() - TimeDelta::days(DEFAULT_DAYS_BACK)).naive_utc(),
        |f| f.start_in(tz),
    );
    let filter = MeetingFilter {
        network_id: Some(id.clone()),
        from: Some(from),
        to: query.to.map(|t| t.end_in(tz)),
        ..Default::default()
    };
    let if_none_match = req.head().clone();
    let reach: Reach = caller.reach;
    let outcome = db
        .read(move |conn| {
            let net = network::find(conn, &reach, &id, false)?;
            let (count, latest) = model::calendar_stamp(conn, &reach, &filter)?;
            let insider = reach.insider(&net.id);
            let tag = feed_tag(&[
                net.id.clone(),
                net.version.to_string(),
                count.to_string(),
                latest.map(|t| t.to_string()).unwrap_or_default(),
                filter.from.map(|t| t.to_string()).unwrap_or_default(),
                filter.to.map(|t| t.to_string()).unwrap_or_default(),
                insider.to_string(),
                reach.person_id().unwrap_or_default().to_string(),
            ]);
            let last_modified = latest.map_or(net.updated_at, |t| t.max(net.updated_at));
            if not_modified(&if_none_match, &tag) {
                return Ok(Err((tag, last_modified)));
            }
            let events: Vec<crate::ical::Event> = model::calendar(conn, &reach, &filter)?
                .iter()
                .map(|seen| event(&seen.meeting, reach.may_attend(&seen.facts())))
                .collect();
            Ok(Ok((
                crate::ical::calendar(&net.name, &events),
                tag,
                last_modified,
            )))
        })
        .await?;
    Ok(match outcome {
        Ok((body, tag, last_modified)) => ics(body, "calendar.ics", &tag, Some(last_modified)),
        Err((tag, last_modified)) => not_modified_response(&tag, Some(last_modified)),
    })
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_meeting_ical).service(get_network_calendar);
}
