//! `/api/v1/meetings/{id}/attendees`: who came, for whom, in what role. A versioned
//! sub-collection addressed by person (`POST` adds one, `PATCH`/`DELETE` change one),
//! also set whole (`PUT` on the collection) or one person at a time (`PUT` on the item).

use actix_web::{HttpRequest, HttpResponse, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::db::{Db, Versioned};
use crate::error::{ApiResult, Validator};
use crate::kit::body::Body;
use crate::kit::collection::{Item, SubCollection};
use crate::kit::existing;
use crate::kit::precondition::{IfMatch, etag};
use crate::kit::query::Ids;
use crate::models::attendee::{self as model, AttendeeFields, Attendees, NamedAttendee};
use crate::models::meeting::{Attendance, AttendeeRole};
use crate::models::store::ItemStore;
use crate::routes::{utc, uuid};
use crate::validation;

/// A person at a meeting.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "person_id": "019a84f5-1c2d-7e3f-8a9b-0c1d2e3f4a5c",
    "name": "Jessica Svanström",
    "organization_id": "019a84f4-7b63-7ab2-bdf0-2e06c5de92d1",
    "role": "participant",
    "attendance": "present",
    "version": 1,
    "updated_at": "2026-11-24T09:00:00Z"
}))]
pub struct AttendeeDto {
    /// The person; also the last segment of the attendee's address.
    pub person_id: Uuid,
    /// The person's name, for display.
    pub name: String,
    /// The organization they came for.
    pub organization_id: Option<Uuid>,
    pub role: AttendeeRole,
    pub attendance: Attendance,
    /// Grows with every change of this entry (its `ETag`).
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl From<NamedAttendee> for AttendeeDto {
    fn from(a: NamedAttendee) -> Self {
        Self {
            person_id: uuid(&a.row.person_id),
            name: a.name,
            organization_id: a.row.organization_id.as_deref().map(uuid),
            role: a.row.role,
            attendance: a.row.attendance,
            version: a.row.version,
            updated_at: utc(a.row.updated_at),
        }
    }
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

/// One person's attendance, addressed by the person in the path; what is left out stays
/// as it is (`PATCH`) or takes its default (`PUT`).
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

fn fields(
    v: &mut Validator,
    prefix: &str,
    person_id: &str,
    body: SetOneAttendee,
    current: Option<&NamedAttendee>,
) -> AttendeeFields {
    let field = |name: &str| format!("{prefix}{name}");
    AttendeeFields {
        person_id: validation::uuid(v, &field("person_id"), person_id),
        organization_id: body
            .organization_id
            .map(|o| validation::uuid(v, &field("organization_id"), &o))
            .or_else(|| current.and_then(|c| c.row.organization_id.clone())),
        role: validation::optional_choice(v, &field("role"), body.role.as_deref())
            .or(current.map(|c| c.row.role))
            .unwrap_or(AttendeeRole::Participant),
        attendance: validation::optional_choice(
            v,
            &field("attendance"),
            body.attendance.as_deref(),
        )
        .or(current.map(|c| c.row.attendance))
        .unwrap_or(Attendance::Invited),
    }
}

fn split(a: SetAttendee) -> (String, SetOneAttendee) {
    (
        a.person_id,
        SetOneAttendee {
            organization_id: a.organization_id,
            role: a.role,
            attendance: a.attendance,
        },
    )
}

/// The attendees of a meeting, as clients see them.
pub struct AttendeesApi;

impl SubCollection for AttendeesApi {
    type Store = Attendees;
    type Create = SetAttendee;
    type Update = SetOneAttendee;
    type Dto = AttendeeDto;

    const PARENT: &'static str = "meeting";
    const ITEM: &'static str = "attendee";
    const SEGMENT: &'static str = "attendees";
    const PARENT_SEGMENT: &'static str = "meetings";

    fn new_item(v: &mut Validator, body: SetAttendee) -> AttendeeFields {
        let (person, rest) = split(body);
        fields(v, "", &person, rest, None)
    }

    fn change(v: &mut Validator, current: &NamedAttendee, body: SetOneAttendee) -> AttendeeFields {
        let person = current.row.person_id.clone();
        fields(v, "", &person, body, Some(current))
    }

    fn dto(a: Item<Self>) -> AttendeeDto {
        AttendeeDto::from(a)
    }

    fn key(a: &Item<Self>) -> String {
        a.row.person_id.clone()
    }
}

/// Set the whole attendee list in one request (coordinators and admins): people left
/// out are removed, the others added or changed. `If-Match` takes the meeting's `ETag`,
/// whose version grows with every change of its attendance.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    request_body = Vec<SetAttendee>,
    security(("bearer" = [])),
    responses((status = 200, description = "The attendee list as it now is", body = List<AttendeeDto>))
)]
#[put("/meetings/{id}/attendees")]
pub async fn set_attendees(
    caller: Caller,
    db: web::Data<Db>,
    id: Ids<1>,
    if_match: IfMatch,
    body: Body<Vec<SetAttendee>>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let list = db
        .write(move |conn| {
            let meeting = existing(Attendees::parent(conn, &reach, &id, true), &if_match)?;
            let meeting = reach.manage(meeting)?;
            if_match.check_version(meeting.version())?;
            let body = body.parse()?;
            let mut v = Validator::new();
            v.check(body.len() <= 1000, "body", "at most 1000 attendees");
            let list: Vec<AttendeeFields> = body
                .into_iter()
                .enumerate()
                .map(|(i, a)| {
                    let (person, rest) = split(a);
                    fields(&mut v, &format!("[{i}]."), &person, rest, None)
                })
                .collect();
            v.finish()?;
            let list = model::set_all(conn, &meeting, &list)?;
            actor.record(conn, "meeting.attendees_set", "meeting", &id)?;
            Ok(list)
        })
        .await?;
    let data: Vec<AttendeeDto> = list.into_iter().map(AttendeeDto::from).collect();
    Ok(List::all(data, &req).respond())
}

/// Add one attendee or set their entry whole (coordinators and admins); what is left
/// out takes its default. `If-Match` takes the entry's `ETag`.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "The meeting's id"), ("person_id" = Uuid, Path, description = "The person's id")),
    request_body = SetOneAttendee,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The entry was changed", body = AttendeeDto, headers(("ETag" = String, description = "Its version"))),
        (status = 201, description = "The person was added", body = AttendeeDto, headers(("ETag" = String, description = "Its version"))),
    )
)]
#[put("/meetings/{id}/attendees/{person_id}")]
pub async fn set_attendee(
    caller: Caller,
    db: web::Data<Db>,
    ids: Ids<2>,
    if_match: IfMatch,
    body: Body<SetOneAttendee>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id, person_id] = ids.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let (entry, created) = db
        .write(move |conn| {
            let meeting = existing(Attendees::parent(conn, &reach, &id, true), &if_match)?;
            let meeting = reach.manage(meeting)?;
            let current = Attendees::item(conn, &meeting, &person_id).ok();
            if_match.check(current.as_ref().map(Versioned::version))?;
            let mut v = Validator::new();
            let fields = fields(&mut v, "", &person_id, body.parse()?, None);
            v.finish()?;
            let done = model::put_one(conn, &meeting, current.as_ref(), fields)?;
            actor.record(conn, "meeting.attendee_set", "meeting", &id)?;
            Ok(done)
        })
        .await?;
    let mut response = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response
        .insert_header((actix_web::http::header::ETAG, etag(entry.row.version)))
        .json(AttendeeDto::from(entry)))
}

crate::sub_collection_routes!(
    AttendeesApi,
    tag = "meetings",
    path = "/meetings/{id}/attendees",
    item_path = "/meetings/{id}/attendees/{person_id}",
    parent = "The meeting's id",
    item = ("person_id", "The person's id"),
    dto = AttendeeDto,
    create = SetAttendee,
    update = SetOneAttendee,
    list = (
        list_attendees,
        "The meeting's attendees, by name.",
        "The attendees by name"
    ),
    add = (
        add_attendee,
        "Add one attendee (coordinators and admins); 409 if the person is on the list already."
    ),
    change = (
        update_attendee,
        "Change one attendee's entry; what is left out stays (coordinators and admins)."
    ),
    remove = (
        delete_attendee,
        "Remove one attendee (coordinators and admins)."
    ),
    also = [set_attendees, set_attendee],
);
