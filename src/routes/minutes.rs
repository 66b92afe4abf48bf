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
use crate::kit::negotiate::negotiate;
use crate::kit::precondition::{CreateOnly, IfMatch, etag};
use crate::kit::query::{Id, Query};
use crate::models::meeting;
use crate::models::minutes::{self as model, DraftHeader};
use crate::models::minutes_document;
use crate::policy::Visibility;
use crate::validation;

mod body;
mod types;
pub(crate) use body::content;
use body::{distinct_ids, dto, revision_text};
pub use types::*;

fn respond(dto: &MinutesDto, status: actix_web::http::StatusCode) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(dto.version)))
        .json(dto)
}

/// The representations of the minutes: JSON, and the protocol document.
const REPRESENTATIONS: [&str; 3] = ["application/json", "text/markdown", "application/pdf"];

/// Read the minutes: as JSON, or (by `Accept`) as the protocol document a secretary
/// files, in Markdown (`text/markdown`) or as a PDF/A (`application/pdf`) with its fonts
/// embedded. Anything else is a 406. Earlier versions (`?version=`) are kept as JSON.
/// Reading minutes that are restricted is recorded in the audit trail.
#[utoipa::path(
    tag = "minutes",
    params(("id" = Uuid, Path, description = "The meeting's id"), VersionQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The minutes; with `Accept: text/markdown` or `application/pdf` the protocol document (document type, date, time and place, chair and secretary, present by organization, excused and absent, numbered paragraphs, next meeting, Vid protokollet, Justeras with signature lines)",
            content((MinutesDto = "application/json"), (String = "text/markdown", example = json!("**PROTOKOLL**\n\n# Nätverket för IFO-chefer\n\n**Datum:** 2020-05-08, 09:00–12:00  \n…")), (Vec<u8> = "application/pdf")),
            headers(("ETag" = String, description = "The version; the documents' tags name their format and their text too (`\"5-markdown-3f2a9c1b0d4e\"`, `\"5-pdf-3f2a9c1b0d4e\"`): a document also shows what is not the minutes' (the next meeting, names), and changes with it"), ("Vary" = String, description = "`Accept`"))),
        (status = 406, description = "None of the formats `Accept` asks for is offered (JSON, Markdown, PDF; earlier versions JSON only)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
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
    let reach = caller.reach.clone();
    let (any_format, json_only) = (
        negotiate(&req, &REPRESENTATIONS),
        negotiate(&req, &REPRESENTATIONS[..1]),
    );
    let (body, version, format, minutes_id, restricted, content) = db
        .read(move |conn| {
            let seen = model::find(conn, &reach, &id, false)?;
            let m = seen.minutes;
            let restricted = m.visibility == Visibility::Restricted
                || seen.meeting.meeting.visibility == Visibility::Restricted;
            let minutes_id = m.id.clone();
            let format = match wanted {
                Some(v) if v != m.version => json_only?,
                _ => any_format?,
            };
            // A document also shows what is not the minutes' (the next meeting, the
            // networks' names, who the reader may see): its tag names its text too.
            let mut content = None;
            let (body, version) = match (wanted, format) {
                (Some(v), _) if v != m.version => {
                    (model::revision(conn, &m.id, v)?.into_bytes(), v)
                }
                (_, "text/markdown" | "application/pdf") => {
                    let version = m.version;
                    let document =
                        minutes_document::protocol(conn, &reach, &seen.meeting.meeting, &m)?;
                    let markdown = document.markdown();
                    content = Some(crate::secrets::hash_secret(&markdown));
                    if format == "text/markdown" {
                        (markdown.into_bytes(), version)
                    } else {
                        (document_pdf(&document, &m)?, version)
                    }
                }
                _ => {
                    let dto = dto(minutes_document::view(conn, m)?);
                    (serde_json::to_vec(&dto).unwrap_or_default(), dto.version)
                }
            };
            Ok((body, version, format, minutes_id, restricted, content))
        })
        .await?;
    if restricted {
        let actor = caller.actor();
        db.write(move |conn| actor.record(conn, "minutes.read", "minutes", &minutes_id))
            .await?;
    }
    let text = content.as_deref().and_then(|h| h.get(..12)).unwrap_or("");
    let (content_type, tag) = match format {
        "text/markdown" => (
            "text/markdown; charset=utf-8",
            format!("\"{version}-markdown-{text}\""),
        ),
        "application/pdf" => ("application/pdf", format!("\"{version}-pdf-{text}\"")),
        _ => ("application/json", etag(version)),
    };
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::ETAG, tag))
        .insert_header((header::VARY, "Accept"))
        .content_type(content_type);
    if format == "application/pdf" {
        response.insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"protokoll-{version}.pdf\""),
        ));
    }
    Ok(response.body(body))
}

/// The protocol as a PDF/A; the file's date is the minutes' last change, so a version
/// is always the same file.
fn document_pdf(document: &crate::protocol::Protocol, m: &model::Minutes) -> ApiResult<Vec<u8>> {
    let meta = crate::protocol::Meta {
        title: format!("{} – {}", document.document_type(), document.title),
        author: document.network.clone(),
        language: "sv-SE".into(),
        created: m.updated_at.and_utc(),
    };
    let blocks: Vec<crate::protocol::Block> = document
        .blocks()
        .into_iter()
        .map(|b| match b {
            // Notes are written in Markdown; the PDF shows their text without the marks.
            crate::protocol::Block::Paragraph(t) => {
                crate::protocol::Block::Paragraph(t.replace("**", ""))
            }
            crate::protocol::Block::Item(t) => crate::protocol::Block::Item(t.replace("**", "")),
            other => other,
        })
        .collect();
    crate::protocol::pdf::render(&blocks, &meta)
        .map_err(|e| crate::error::ApiError::internal("rendering the protocol PDF", &e))
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
                recorded_by: distinct_ids(&mut v, "recorded_by", &input.recorded_by),
                approvers: distinct_ids(&mut v, "approvers", &input.approvers),
                approval_due_on: input.approval_due_on,
                visibility: validation::optional_choice(
                    &mut v,
                    "visibility",
                    input.visibility.as_deref(),
                ),
                document_type: validation::optional_choice(
                    &mut v,
                    "document_type",
                    input.document_type.as_deref(),
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
            let removed = distinct_ids(
                &mut v,
                "removed_action_item_ids",
                &input.removed_action_item_ids,
            );
            v.finish()?;
            let m = crate::models::amendment::amend(
                conn,
                &meeting,
                &seen.minutes,
                &reason,
                &person,
                content,
                &removed,
            )?;
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
