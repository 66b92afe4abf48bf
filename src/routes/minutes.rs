//! `/api/v1/meetings/{id}/minutes`: one set of minutes per meeting. Coordinators write
//! the draft and submit it; each approver (justerare) approves; approved minutes change
//! only by recorded amendments, and every earlier version stays readable.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::db::{Db, Versioned};
use crate::error::{ApiResult, Validator};
use crate::kit::body::Body;
use crate::kit::existing;
use crate::kit::precondition::{CreateOnly, IfMatch, etag};
use crate::kit::query::{Id, Query};
use crate::models::action_item::{ActionFields, ActionStatus, PlacedAction};
use crate::models::meeting;
use crate::models::minutes::{self as model, Content, DraftHeader, Section};
use crate::models::minutes_document::{self, MinutesView};
use crate::policy::Visibility;
use crate::routes::action_items::ActionItemDto;
use crate::routes::{utc, uuid};
use crate::validation;

mod types;
pub use types::*;

fn people(v: &mut Validator, field: &str, ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let id = validation::uuid(v, &format!("{field}[{i}]"), id);
        if out.contains(&id) {
            v.add(&format!("{field}[{i}]"), "appears twice");
        }
        out.push(id);
    }
    out
}

pub(crate) fn content(v: &mut Validator, sections: Vec<SectionInput>) -> Content {
    v.check(sections.len() <= 200, "sections", "at most 200 sections");
    let mut stored = Vec::new();
    let mut actions = Vec::new();
    for (i, s) in sections.into_iter().enumerate() {
        let at = |name: &str| format!("sections[{i}].{name}");
        let mut decisions = Vec::new();
        for (d, text) in s.decisions.iter().enumerate() {
            decisions.push(validation::text(
                v,
                &at(&format!("decisions[{d}]")),
                text,
                1,
                5000,
            ));
        }
        let mut items = Vec::new();
        for (j, a) in s.action_items.into_iter().enumerate() {
            let prefix = format!("sections[{i}].action_items[{j}].");
            let f = |name: &str| format!("{prefix}{name}");
            let status = validation::optional_choice(v, &f("status"), a.status.as_deref())
                .unwrap_or(ActionStatus::Open);
            items.push(PlacedAction {
                id: a.id.as_deref().map(|id| validation::uuid(v, &f("id"), id)),
                fields: ActionFields {
                    title: validation::text(v, &f("title"), &a.title, 1, 500),
                    description: validation::optional_text(
                        v,
                        &f("description"),
                        a.description.as_deref(),
                        5000,
                    ),
                    owner_person_id: a
                        .owner_person_id
                        .as_deref()
                        .map(|p| validation::uuid(v, &f("owner_person_id"), p)),
                    owner_organization_id: a
                        .owner_organization_id
                        .as_deref()
                        .map(|o| validation::uuid(v, &f("owner_organization_id"), o)),
                    due_on: a.due_on,
                    status,
                },
                field: prefix.clone(),
                completion: None,
            });
        }
        stored.push(Section {
            agenda_item_id: s
                .agenda_item_id
                .as_deref()
                .map(|a| validation::uuid(v, &at("agenda_item_id"), a)),
            heading: validation::text(v, &at("heading"), &s.heading, 1, 300),
            notes: validation::optional_text(v, &at("notes"), s.notes.as_deref(), 50_000),
            decisions,
        });
        actions.push(items);
    }
    Content {
        sections: stored,
        actions,
    }
}

/// The minutes as served now.
fn dto(view: MinutesView) -> MinutesDto {
    let MinutesView {
        minutes: m,
        action_items,
        approvals,
        amendments,
    } = view;
    let sections = m
        .sections
        .0
        .into_iter()
        .enumerate()
        .map(|(i, s)| SectionDto {
            agenda_item_id: s.agenda_item_id.as_deref().map(uuid),
            heading: s.heading,
            notes: s.notes,
            decisions: s.decisions,
            action_items: action_items
                .iter()
                .filter(|a| a.section_index == i as i32)
                .cloned()
                .map(ActionItemDto::from)
                .collect(),
        })
        .collect();
    MinutesDto {
        id: uuid(&m.id),
        meeting_id: uuid(&m.meeting_id),
        status: m.status,
        recorded_by: m.recorded_by.iter().map(|p| uuid(p)).collect(),
        approvers: m.approvers.iter().map(|p| uuid(p)).collect(),
        approval_due_on: m.approval_due_on,
        approvals: approvals
            .into_iter()
            .map(|a| ApprovalDto {
                person_id: uuid(&a.person_id),
                approved_at: utc(a.approved_at),
                recorded_at: a.recorded_at.map(utc),
                recorded_by: a.recorded_by.as_deref().map(uuid),
            })
            .collect(),
        submitted_at: m.submitted_at.map(utc),
        approved_at: m.approved_at.map(utc),
        sections,
        amendments: amendments
            .into_iter()
            .map(|a| AmendmentDto {
                reason: a.reason,
                changed_by: uuid(&a.changed_by),
                changed_at: utc(a.changed_at),
                version: a.version,
            })
            .collect(),
        visibility: m.visibility,
        version: m.version,
        created_at: utc(m.created_at),
        updated_at: utc(m.updated_at),
    }
}

/// The text a version of the minutes is kept as.
fn revision_text(view: &MinutesView) -> String {
    serde_json::to_string(&dto(view.clone())).unwrap_or_default()
}

fn respond(dto: &MinutesDto, status: actix_web::http::StatusCode) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(dto.version)))
        .json(dto)
}

fn wants_markdown(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/markdown"))
}

/// Read the minutes, as JSON or (with `Accept: text/markdown`) as a protocol document.
/// Reading minutes that are restricted is recorded in the audit trail.
#[utoipa::path(
    tag = "minutes",
    params(("id" = Uuid, Path, description = "The meeting's id"), VersionQuery),
    security((), ("bearer" = [])),
    responses((status = 200, description = "The minutes; with `Accept: text/markdown` a Swedish protocol document",
        content((MinutesDto = "application/json"), (String = "text/markdown", example = json!("# Nätverket för IFO-chefer\n\n**Datum:** 2020-05-08, 09:00–12:00  \n…"))),
        headers(("ETag" = String, description = "Its version"))))
)]
#[get("/meetings/{id}/minutes")]
pub async fn get_minutes(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    query: Query<VersionQuery>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let [id] = id.get()?;
    let wanted = query.get()?.version;
    let markdown = wants_markdown(&req);
    let reach = caller.reach.clone();
    let (body, version, markdown, minutes_id, restricted) = db
        .read(move |conn| {
            let seen = model::find(conn, &reach, &id, false)?;
            let m = seen.minutes;
            let restricted = m.visibility == Visibility::Restricted
                || seen.meeting.meeting.visibility == Visibility::Restricted;
            let minutes_id = m.id.clone();
            let (body, version, markdown) = match wanted {
                Some(v) if v != m.version => (model::revision(conn, &m.id, v)?, v, false),
                _ if markdown => {
                    let version = m.version;
                    let document = minutes_document::protocol(conn, &seen.meeting.meeting, &m)?;
                    (crate::protocol::render(&document), version, true)
                }
                _ => {
                    let dto = dto(minutes_document::view(conn, m)?);
                    (
                        serde_json::to_string(&dto).unwrap_or_default(),
                        dto.version,
                        false,
                    )
                }
            };
            Ok((body, version, markdown, minutes_id, restricted))
        })
        .await?;
    if restricted {
        let actor = caller.actor();
        db.write(move |conn| actor.record(conn, "minutes.read", "minutes", &minutes_id))
            .await?;
    }
    let content_type = if markdown {
        "text/markdown; charset=utf-8"
    } else {
        "application/json"
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .content_type(content_type)
        .body(body))
}

/// Write the draft (coordinators and admins): creates it, or replaces it while it is a
/// draft. Action items sent with their `id` keep their identity; ones left out are removed.
/// `If-Match` replaces only the version named (412 when there are no minutes yet);
/// `If-None-Match: *` only creates.
#[utoipa::path(
    tag = "minutes",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    request_body = PutMinutes,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The draft was replaced", body = MinutesDto),
        (status = 201, description = "The draft was created", body = MinutesDto, headers(("Location" = String, description = "The minutes' address"))),
        (status = 409, description = "The minutes are submitted or approved; `current_status` says which", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/meetings/{id}/minutes")]
pub async fn put_minutes(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    if_match: IfMatch,
    create_only: CreateOnly,
    body: Body<PutMinutes>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let (dto, created) = db
        .write(move |conn| {
            let found = meeting::find(conn, &reach, &id, true).map(|s| s.meeting);
            let meeting = reach.manage(existing(found, &if_match)?)?;
            let current = model::of_managed(conn, &meeting)?;
            let version = current.as_ref().map(Versioned::version);
            if_match.check(version)?;
            create_only.check(version)?;
            let input = body.parse()?;
            let mut v = Validator::new();
            let header = DraftHeader {
                recorded_by: people(&mut v, "recorded_by", &input.recorded_by),
                approvers: people(&mut v, "approvers", &input.approvers),
                approval_due_on: input.approval_due_on,
                visibility: validation::optional_choice(
                    &mut v,
                    "visibility",
                    input.visibility.as_deref(),
                ),
            };
            let content = content(&mut v, input.sections);
            v.finish()?;
            let (m, created) =
                model::save_draft(conn, &meeting, current.as_ref(), &header, content)?;
            let action = if created {
                "minutes.create"
            } else {
                "minutes.update"
            };
            actor.record(conn, action, "minutes", &m.id)?;
            Ok((
                dto(minutes_document::kept(conn, m, revision_text)?),
                created,
            ))
        })
        .await?;
    if created {
        let mut response = respond(&dto, actix_web::http::StatusCode::CREATED);
        if let Ok(location) =
            header::HeaderValue::from_str(&format!("/api/v1/meetings/{}/minutes", dto.meeting_id))
        {
            response.headers_mut().insert(header::LOCATION, location);
        }
        Ok(response)
    } else {
        Ok(respond(&dto, actix_web::http::StatusCode::OK))
    }
}

/// Submit the draft for approval (coordinators and admins): draft → submitted.
#[utoipa::path(
    tag = "minutes",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Submitted", body = MinutesDto),
        (status = 409, description = "Not a draft; `current_status` says what it is", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/meetings/{id}/minutes/submit")]
pub async fn submit_minutes(caller: Caller, db: web::Data<Db>, id: Id) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let dto = db
        .write(move |conn| {
            let seen = model::find(conn, &reach, &id, true)?;
            let meeting = reach.manage(seen.meeting.meeting)?;
            let m = model::submit(conn, &meeting, &seen.minutes, crate::db::now())?;
            actor.record(conn, "minutes.submit", "minutes", &m.id)?;
            Ok(dto(minutes_document::kept(conn, m, revision_text)?))
        })
        .await?;
    Ok(respond(&dto, actix_web::http::StatusCode::OK))
}

/// Approve the minutes (justering) as one of their approvers. When the last approver
/// has approved, the minutes are `approved` and read-only.
#[utoipa::path(
    tag = "minutes",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your approval is recorded", body = MinutesDto),
        (status = 409, description = "Not submitted, or you approved already; `current_status` says the state", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/meetings/{id}/minutes/approve")]
pub async fn approve_minutes(caller: Caller, db: web::Data<Db>, id: Id) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let dto = db
        .write(move |conn| {
            let seen = model::find(conn, &reach, &id, true)?;
            let (minutes, person) = reach.approve(seen.minutes)?;
            let m = model::approve(conn, &minutes, &person)?;
            actor.record(conn, "minutes.approve", "minutes", &m.id)?;
            Ok(dto(minutes_document::kept(conn, m, revision_text)?))
        })
        .await?;
    Ok(respond(&dto, actix_web::http::StatusCode::OK))
}

/// Record an approval that an approver gave on paper (coordinators and admins): minutes
/// kept on paper and entered afterwards keep the day they were really approved
/// ("Justerat 2020-05-15"), and say that it was recorded later and by whom. The last
/// approval makes them `approved`, as of the latest approval's day.
#[utoipa::path(
    tag = "minutes",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    request_body = RecordApproval,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The approval is recorded", body = MinutesDto),
        (status = 409, description = "Not submitted, or that approver approved already; `current_status` says the state", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/meetings/{id}/minutes/approvals")]
pub async fn record_approval(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    body: Body<RecordApproval>,
) -> ApiResult<HttpResponse> {
    caller.signed_in()?;
    let [id] = id.get()?;
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let dto = db
        .write(move |conn| {
            let seen = model::find(conn, &reach, &id, true)?;
            let meeting = reach.manage(seen.meeting.meeting)?;
            let input = body.parse()?;
            let mut v = Validator::new();
            let person = validation::uuid(&mut v, "person_id", &input.person_id);
            let when =
                crate::times::happened(&mut v, "approved_at", input.approved_at, crate::db::now());
            v.finish()?;
            let Some((at, recorded_at)) = when else {
                return Err(crate::error::ApiError::invalid_field(
                    "approved_at",
                    "is required",
                ));
            };
            let user = reach.identity().map(|i| i.user_id.clone());
            let m = model::record_approval(
                conn,
                &meeting,
                &seen.minutes,
                &person,
                at,
                (recorded_at, user.as_deref()),
            )?;
            actor.record(conn, "minutes.approval_recorded", "minutes", &m.id)?;
            Ok(dto(minutes_document::kept(conn, m, revision_text)?))
        })
        .await?;
    Ok(respond(&dto, actix_web::http::StatusCode::OK))
}

/// Amend approved minutes (coordinators and admins): the sections as they should read
/// and why. The earlier text stays readable with `?version=`.
#[utoipa::path(
    tag = "minutes",
    params(("id" = Uuid, Path, description = "The meeting's id")),
    request_body = AmendMinutes,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Amended", body = MinutesDto),
        (status = 409, description = "The minutes are not approved; `current_status` says what they are", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/meetings/{id}/minutes/amendments")]
pub async fn amend_minutes(
    caller: Caller,
    db: web::Data<Db>,
    id: Id,
    body: Body<AmendMinutes>,
) -> ApiResult<HttpResponse> {
    let user = caller.signed_in()?;
    let [id] = id.get()?;
    let person = user.user.person_id.clone();
    let (reach, actor) = (caller.reach.clone(), caller.actor());
    let dto = db
        .write(move |conn| {
            let seen = model::find(conn, &reach, &id, true)?;
            let meeting = reach.manage(seen.meeting.meeting)?;
            let input = body.parse()?;
            let mut v = Validator::new();
            let reason = validation::text(&mut v, "reason", &input.reason, 1, 2000);
            let content = content(&mut v, input.sections);
            v.finish()?;
            let m = model::amend(conn, &meeting, &seen.minutes, &reason, &person, content)?;
            actor.record(conn, "minutes.amend", "minutes", &m.id)?;
            Ok(dto(minutes_document::kept(conn, m, revision_text)?))
        })
        .await?;
    Ok(respond(&dto, actix_web::http::StatusCode::OK))
}

/// Registers the handlers.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_minutes)
        .service(put_minutes)
        .service(submit_minutes)
        .service(approve_minutes)
        .service(record_approval)
        .service(amend_minutes);
}
