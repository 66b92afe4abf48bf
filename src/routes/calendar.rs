//! iCalendar feeds of a meeting and of a network, for calendar programs.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::MaybeAuthUser;
use crate::db::Db;
use crate::error::ApiResult;
use crate::models::access::Viewer;
use crate::models::meeting::{self as model, Meeting, MeetingAccess, MeetingStatus};

use crate::routes::{path_id, today};

/// The calendar event of a meeting, as this viewer may see it.
pub fn event(m: &Meeting, access: MeetingAccess) -> crate::ical::Event {
    crate::ical::Event {
        uid: format!("{}@samverkan", m.id),
        sequence: m.version - 1,
        stamp: m.updated_at,
        start: m.starts_at,
        end: m.ends_at,
        summary: m.title.clone(),
        description: m.description.clone(),
        location: m.location.clone(),
        url: if access.may_attend {
            m.online_url.clone()
        } else {
            None
        },
        cancelled: m.status == MeetingStatus::Cancelled.as_str(),
        tentative: m.status == MeetingStatus::Postponed.as_str(),
    }
}

/// The response of a calendar feed.
pub fn ics(body: String, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"{filename}\""),
        ))
        .body(body)
}

/// The API token query parameter of calendar feeds.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// An API token (`smv_…`), for calendar programs that cannot send an
    /// `Authorization` header. Prefer a read-only token.
    pub token: Option<String>,
}

/// One meeting as an iCalendar file (RFC 5545).
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id"), CalendarQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "A VCALENDAR with one VEVENT", content_type = "text/calendar", body = String,
        example = json!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…\r\nEND:VCALENDAR\r\n")))
)]
#[get("/meetings/{id}/ical")]
pub async fn get_meeting_ical(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    _q: web::Query<CalendarQuery>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let (meeting, access) = db
        .read(move |conn| model::find_visible(conn, &viewer, &id, today()))
        .await?;
    let body = crate::ical::calendar(&meeting.title, &[event(&meeting, access)]);
    Ok(ics(body, &format!("{}.ics", meeting.id)))
}

/// A network's meetings as a subscribable calendar (RFC 5545).
#[utoipa::path(
    tag = "networks",
    params(("id" = Uuid, Path, description = "The network's id"), CalendarQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "A VCALENDAR with the network's meetings you may see; cancelled ones as STATUS:CANCELLED",
        content_type = "text/calendar", body = String, example = json!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…\r\nEND:VCALENDAR\r\n")))
)]
#[get("/networks/{id}/calendar.ics")]
pub async fn get_network_calendar(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    _q: web::Query<CalendarQuery>,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer: Viewer = auth.viewer();
    let (name, events) = db
        .read(move |conn| {
            let (net, _) =
                crate::models::access::network_find_visible(conn, &viewer, &id, today())?;
            let mut events = Vec::new();
            for m in model::of_network(conn, &id)? {
                let access = model::access_to(conn, &viewer, &m, today())?;
                if crate::models::access::can_see(&m.visibility, &viewer, access.insider) {
                    events.push(event(&m, access));
                }
            }
            Ok((net.name, events))
        })
        .await?;
    Ok(ics(crate::ical::calendar(&name, &events), "calendar.ics"))
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_meeting_ical).service(get_network_calendar);
}
