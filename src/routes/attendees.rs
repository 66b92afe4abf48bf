//! `/api/v1/meetings/{id}/attendees`: who came, for whom, in what role; set in bulk.

use actix_web::{HttpRequest, HttpResponse, delete, get, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::{AuthUser, MaybeAuthUser};
use crate::db::Db;
use crate::error::{ApiResult, Validator};
use crate::etag::IfMatch;
use crate::kit::body::Json;
use crate::models::audit;
use crate::models::meeting::{self as model, Attendance, AttendeeFields, AttendeeRole};
use crate::pagination::List;
use crate::routes::{path_id, today, utc, uuid};
use crate::validation;

/// A person at a meeting.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c",
    "name": "Jessica Svanström",
    "organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "role": "participant",
    "attendance": "present",
    "updated_at": "2026-11-24T09:00:00Z"
}))]
pub struct AttendeeDto {
    pub person_id: Uuid,
    /// The person's name, for display.
    pub name: String,
    /// The organization they came for.
    pub organization_id: Option<Uuid>,
    pub role: AttendeeRole,
    pub attendance: Attendance,
    pub updated_at: DateTime<Utc>,
}

/// One person's attendance.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c", "role": "participant", "attendance": "present"}))]
pub struct SetAttendee {
    #[schema(value_type = Uuid)]
    pub person_id: String,
    /// The organization they came for; default: their own.
    #[schema(value_type = Option<Uuid>)]
    pub organization_id: Option<String>,
    /// Default `participant`.
    #[schema(value_type = Option<AttendeeRole>)]
    pub role: Option<String>,
    /// Default `invited`.
    #[schema(value_type = Option<Attendance>)]
    pub attendance: Option<String>,
}

/// One person's attendance, addressed by the person in the path.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"attendance": "excused"}))]
pub struct SetOneAttendee {
    #[schema(value_type = Option<Uuid>)]
    pub organization_id: Option<String>,
    #[schema(value_type = Option<AttendeeRole>)]
    pub role: Option<String>,
    #[schema(value_type = Option<Attendance>)]
    pub attendance: Option<String>,
}

fn attendee_fields(
    v: &mut Validator,
    prefix: &str,
    person_id: &str,
    organization_id: Option<&str>,
    role: Option<&str>,
    attendance: Option<&str>,
) -> AttendeeFields {
    let field = |name: &str| format!("{prefix}{name}");
    AttendeeFields {
        person_id: validation::uuid(v, &field("person_id"), person_id),
        organization_id: organization_id.map(|o| validation::uuid(v, &field("organization_id"), o)),
        role: match role {
            None => AttendeeRole::Participant,
            Some(r) => AttendeeRole::parse(r).unwrap_or_else(|| {
                v.add(&field("role"), AttendeeRole::expected());
                AttendeeRole::Participant
            }),
        },
        attendance: match attendance {
            None => Attendance::Invited,
            Some(a) => Attendance::parse(a).unwrap_or_else(|| {
                v.add(&field("attendance"), Attendance::expected());
                Attendance::Invited
            }),
        },
    }
}

async fn attendee_list(db: &Db, id: String) -> ApiResult<Vec<AttendeeDto>> {
    let rows = db.read(move |conn| model::attendee_list(conn, &id)).await?;
    Ok(rows
        .into_iter()
        .map(|(a, name)| AttendeeDto {
            person_id: uuid(&a.person_id),
            name,
            organization_id: a.organization_id.as_deref().map(uuid),
            role: AttendeeRole::parse(&a.role).unwrap_or(AttendeeRole::Participant),
            attendance: Attendance::parse(&a.attendance).unwrap_or(Attendance::Invited),
            updated_at: utc(a.updated_at),
        })
        .collect())
}

/// The meeting's attendees.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The attendees by name", body = List<AttendeeDto>))
)]
#[get("/meetings/{id}/attendees")]
pub async fn list_attendees(
    auth: MaybeAuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let viewer = auth.viewer();
    let check = id.clone();
    db.read(move |conn| model::find_visible(conn, &viewer, &check, today()))
        .await?;
    let data = attendee_list(&db, id).await?;
    Ok(HttpResponse::Ok().json(List::all(data, &req)))
}

/// Set the whole attendee list in one request (coordinators and admins): people left
/// out are removed, the others added or changed.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    request_body = Vec<SetAttendee>,
    security(("bearer" = [])),
    responses((status = 200, description = "The attendee list as it now is", body = List<AttendeeDto>))
)]
#[put("/meetings/{id}/attendees")]
pub async fn set_attendees(
    auth: AuthUser,
    db: web::Data<Db>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: Json<Vec<SetAttendee>>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let id = path_id(&id)?;
    let mut v = Validator::new();
    v.check(body.body.len() <= 1000, "body", "at most 1000 attendees");
    let list: Vec<AttendeeFields> = body
        .body
        .iter()
        .enumerate()
        .map(|(i, a)| {
            attendee_fields(
                &mut v,
                &format!("[{i}]."),
                &a.person_id,
                a.organization_id.as_deref(),
                a.role.as_deref(),
                a.attendance.as_deref(),
            )
        })
        .collect();
    v.finish()?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let meeting_id = id.clone();
    db.write(move |conn| {
        let meeting = model::find_managed(conn, &viewer, &id, today())?;
        if_match.check(meeting.version)?;
        model::set_attendees(conn, &id, &list)?;
        audit::record(
            conn,
            &actor,
            "meeting.attendees_set",
            "meeting",
            Some(&id),
            "success",
        )
    })
    .await?;
    let data = attendee_list(&db, meeting_id).await?;
    Ok(HttpResponse::Ok().json(List::all(data, &req)))
}

/// Add one attendee or change their entry (coordinators and admins).
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id"), ("person_id" = Uuid, Path, description = "The person's id")),
    request_body = SetOneAttendee,
    security(("bearer" = [])),
    responses((status = 200, description = "The attendee list as it now is", body = List<AttendeeDto>))
)]
#[put("/meetings/{id}/attendees/{person_id}")]
pub async fn set_attendee(
    auth: AuthUser,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: Json<SetOneAttendee>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let (id, person_id) = (path_id(&path.0)?, path_id(&path.1)?);
    let input = body.body;
    let mut v = Validator::new();
    let fields = attendee_fields(
        &mut v,
        "",
        &person_id,
        input.organization_id.as_deref(),
        input.role.as_deref(),
        input.attendance.as_deref(),
    );
    v.finish()?;
    let viewer = auth.viewer();
    let actor = auth.actor();
    let meeting_id = id.clone();
    db.write(move |conn| {
        let meeting = model::find_managed(conn, &viewer, &id, today())?;
        if_match.check(meeting.version)?;
        model::put_attendee(conn, &id, &fields)?;
        audit::record(
            conn,
            &actor,
            "meeting.attendee_set",
            "meeting",
            Some(&id),
            "success",
        )
    })
    .await?;
    let data = attendee_list(&db, meeting_id).await?;
    Ok(HttpResponse::Ok().json(List::all(data, &req)))
}

/// Remove one attendee (coordinators and admins).
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id"), ("person_id" = Uuid, Path, description = "The person's id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Removed"))
)]
#[delete("/meetings/{id}/attendees/{person_id}")]
pub async fn delete_attendee(
    auth: AuthUser,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let (id, person_id) = (path_id(&path.0)?, path_id(&path.1)?);
    let viewer = auth.viewer();
    let actor = auth.actor();
    db.write(move |conn| {
        let meeting = model::find_managed(conn, &viewer, &id, today())?;
        if_match.check(meeting.version)?;
        model::remove_attendee(conn, &id, &person_id)?;
        audit::record(
            conn,
            &actor,
            "meeting.attendee_remove",
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
    cfg.service(list_attendees)
        .service(set_attendees)
        .service(set_attendee)
        .service(delete_attendee);
}
